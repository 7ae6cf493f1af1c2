/* Our workarounds for GMime 3.2.13 defects (src/mime/gmime-fixes.c):
 * input and the right output, piece by piece and through whole messages. */
#include <config.h>

#include <string.h>

#include "mime/mime.h"
#include "mime/private.h"
#include "util/util.h"

/* ---- RFC 2047 (GMime #133, fixed in 3.2.14) ---------------------------- */

typedef struct {
    const char *in;
    const char *out;
} TextCase;

static const TextCase words[] = {
    /* The reproduction: a padded B word, then another. */
    { "=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=", "Hello world" },
    /* A UTF-8 character split across two words joins ("a é"). */
    { "x =?UTF-8?B?IGHD?= =?UTF-8?B?qQ==?=", "x  a\xc3\xa9" },
    /* Split across a B and a Q word of the same charset. */
    { "=?UTF-8?B?w6k=?= =?UTF-8?Q?=C3?= =?utf-8?Q?=A9t=C3=A9?=", "\xc3\xa9\xc3\xa9t\xc3\xa9" },
    /* Folded between the words; several padded words. */
    { "=?UTF-8?B?UHLDpA==?=\n =?UTF-8?B?c2VudGF0aW9u?=\n\t=?UTF-8?B?LnBwdHg=?=",
      "Pr\xc3\xa4sentation.pptx" },
    /* Text around the words stays; other charsets are their own run. */
    { "Re: =?UTF-8?B?SGk=?= =?UTF-8?B?IQ==?= and =?ISO-8859-1?Q?caf=E9?= =?UTF-8?B?IQ==?= end",
      "Re: Hi! and caf\xc3\xa9! end" },
    /* RFC 2231 language tag. */
    { "=?UTF-8*en?B?SGk=?= =?UTF-8*en?B?IQ==?=", "Hi!" },
    /* Missing padding inside a word. */
    { "=?UTF-8?B?SGkhIQ?= =?UTF-8?B?IQ?=", "Hi!!!" },
    /* Charsets read as browsers do: ISO-8859-1 is Windows-1252, and
     * ks_c_5601-1987 is CP949; ISO-2022-JP with NEC row 13. */
    { "=?iso-8859-1?Q?=93Angebot=94_=96_1.250_=80?=",
      "\xe2\x80\x9c" "Angebot\xe2\x80\x9d \xe2\x80\x93 1.250 \xe2\x82\xac" },
    { "=?ks_c_5601-1987?B?x9Gxmw==?=", "\xed\x95\x9c\xec\xbd\xa3" },
    { "=?ISO-2022-JP?B?GyRCLWobKEI=?=", "\xe3\x88\xb1" },
    /* Not encoded words: left alone. */
    { "plain =? text ?= here", "plain =? text ?= here" },
};

static void
test_encoded_words(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(words); i++) {
        g_autofree char *got = mime_header_decode_text(words[i].in);
        g_autofree char *unfolded = g_mime_utils_header_unfold(got);
        g_assert_cmpstr(unfolded, ==, words[i].out);
    }
    /* Nothing to merge: no rewrite. */
    g_assert_null(mime_fix_encoded_words("=?UTF-8?B?SGk=?= text =?UTF-8?B?SGk=?="));
    g_assert_null(mime_fix_encoded_words("no words"));
    g_assert_null(mime_fix_encoded_words(NULL));
}

/* ---- base64 bodies (GMime #150, fixed in 3.2.14; unpadded: all) ------- */

typedef struct {
    const char *in;
    const char *out;
    gsize out_len;
    gboolean damaged;
} B64Case;

static const B64Case b64_cases[] = {
    { "SGkhIQ", "Hi!!", 4, FALSE },                          /* no padding */
    { "SGkhIQ==", "Hi!!", 4, FALSE },
    { "SGVsbG8=\r\nIHdvcmxk\r\n", "Hello world", 11, FALSE },  /* second chunk */
    { "SGk=\nIQ==\nIQ", "Hi!!", 4, FALSE },
    { "SGVs\nbG8g\n d29y bGQ=\n", "Hello world", 11, FALSE },  /* spaces, lines */
    { "SGkh*I\x01Q", "Hi!!", 4, FALSE },                      /* junk skipped */
    { "SGkhI", "Hi!", 3, TRUE },                              /* stray char */
    { "", "", 0, FALSE },
    { "AAEC/w==", "\x00\x01\x02\xff", 4, FALSE },
};

static void
test_base64(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(b64_cases); i++) {
        gboolean damaged = !b64_cases[i].damaged;
        g_autoptr(GBytes) got = mime_base64_decode(b64_cases[i].in, strlen(b64_cases[i].in), &damaged);
        gsize len = 0;
        const char *d = g_bytes_get_data(got, &len);
        g_assert_cmpmem(d, len, b64_cases[i].out, b64_cases[i].out_len);
        g_assert_cmpint(damaged, ==, b64_cases[i].damaged);
    }
}

/* ---- quoted-printable (not fixed upstream as of 3.2.15) --------------- */

static const TextCase qp[] = {
    { "soft =  \nbreak\n", "soft break\n" },                 /* "=" + spaces */
    { "soft =\t\r\nbreak\r\n", "soft break\n" },              /* "=" + tab, CRLF */
    { "plain=\nsoft\n", "plainsoft\n" },
    { "caf=E9 =3D x\n", "caf\xe9 = x\n" },
    { "trailing   \nspace\t\n", "trailing\nspace\n" },        /* transport spaces */
    { "bad =ZZ and =4\n", "bad =ZZ and =4\n" },               /* kept as text */
    { "end=", "end" },
    { "no newline", "no newline" },
};

static void
test_qp(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(qp); i++) {
        g_autoptr(GBytes) got = mime_qp_decode(qp[i].in, strlen(qp[i].in));
        gsize len = 0;
        const char *d = g_bytes_get_data(got, &len);
        g_assert_cmpmem(d, len, qp[i].out, strlen(qp[i].out));
    }
}

/* ---- whole messages ---------------------------------------------------- */

static MimeView *
view(const char *text)
{
    g_autoptr(GBytes) raw = g_bytes_new(text, strlen(text));
    g_autoptr(GError) error = NULL;
    MimeViewOptions opts = { NULL, NULL, TRUE };
    MimeView *v = mime_view_new(raw, &opts, &error);
    g_assert_no_error(error);
    return v;
}

static const char *
header(const MimeView *v, const char *name)
{
    for (guint i = 0; i < v->headers->len; i++) {
        const MimeHeader *h = v->headers->pdata[i];
        if (strcmp(h->name, name) == 0)
            return h->value;
    }
    return NULL;
}

static void
test_messages(void)
{
    g_autoptr(MimeView) v = view(
        "From: =?UTF-8?B?SsO8cmdlbg==?= =?UTF-8?B?IE3DvGxsZXI=?= <jm@example.org>\n"
        "Subject: =?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=b\n"
        "\n"
        "--b\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        "SGVsbG8sIHdvcmxkIQo=\n"
        "LS0gbGlzdCBmb290ZXIK\n"
        "--b\n"
        "Content-Type: application/octet-stream;\n"
        " name=\"=?UTF-8?B?UHLDpA==?= =?UTF-8?B?c2VudGF0aW9uLnBwdHg=?=\"\n"
        "Content-Disposition: attachment\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        "SGkhIQ\n"
        "--b--\n");
    g_assert_cmpstr(header(v, "Subject"), ==, "Hello world");
    g_assert_cmpstr(header(v, "From"), ==, "J\xc3\xbcrgen M\xc3\xbcller <jm@example.org>");
    g_assert_cmpstr(v->body_text, ==,
                    "Hello, world!\n-- list footer\n\n"
                    "[-- attachment 1: Pr\xc3\xa4sentation.pptx (application/octet-stream, 4 bytes) --]");
    g_assert_cmpuint(v->attachments->len, ==, 1);
    const MimeAttachment *a = v->attachments->pdata[0];
    g_assert_cmpstr(a->name, ==, "Pr\xc3\xa4sentation.pptx");
    g_assert_cmpmem(g_bytes_get_data(a->data, NULL), a->size, "Hi!!", 4);
    g_assert_false(a->damaged);
}

/* Lines of white space before the first field are left out (the index
 * reads the fields after them); an empty first line still means a
 * message with no header, all body. */
static void
test_leading_blank_lines(void)
{
    g_autoptr(MimeView) v = view("   \r\n\t\r\nFrom: a@example.org\r\nSubject: after spaces\r\n"
                                 "\r\nthe body\r\n");
    g_assert_cmpstr(header(v, "Subject"), ==, "after spaces");
    g_assert_true(g_str_has_prefix(v->body_text, "the body"));
    g_autoptr(MimeView) w = view("\r\nSubject: not a header\r\n\r\ntext\r\n");
    g_assert_null(header(w, "Subject"));
    g_assert_nonnull(strstr(w->body_text, "Subject: not a header"));
    g_autoptr(MimeView) x = view("  \nno header here\njust text\n");
    g_assert_nonnull(strstr(x->body_text, "no header here\njust text"));
}

/* A 1,001-byte attachment whose encoder left off the padding saves as
 * 1,001 bytes; a stray last character marks it damaged. */
static void
test_unpadded_attachment(void)
{
    guint8 data[1001];
    for (guint i = 0; i < sizeof data; i++)
        data[i] = (guint8)(i * 7);
    g_autofree char *b64 = g_base64_encode(data, sizeof data);
    g_autofree char *unpadded = g_strdup(b64);
    char *eq = strchr(unpadded, '=');
    g_assert_nonnull(eq);
    *eq = '\0';
    for (int stray = 0; stray < 2; stray++) {
        g_autofree char *msg = g_strdup_printf(
            "Subject: s\nMIME-Version: 1.0\nContent-Type: application/pdf; name=a.pdf\n"
            "Content-Transfer-Encoding: base64\n\n%s\n%s", stray ? b64 : unpadded,
            stray ? "A\n" : "");   /* one character too many */
        g_autoptr(MimeView) v = view(msg);
        g_assert_cmpuint(v->attachments->len, ==, 1);
        const MimeAttachment *a = v->attachments->pdata[0];
        g_assert_cmpuint(a->size, ==, sizeof data);
        g_assert_cmpmem(g_bytes_get_data(a->data, NULL), a->size, data, sizeof data);
        g_assert_cmpint(a->damaged, ==, stray);
    }
}

static void
test_qp_message(void)
{
    g_autoptr(MimeView) v = view(
        "Subject: qp\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=iso-8859-1\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "one long line that was brok=  \n"
        "en by the sender, caf=E9=\t\n"
        "\n");
    g_assert_cmpstr(v->body_text, ==, "one long line that was broken by the sender, caf\xc3\xa9");
}

/* 6: a part whose boundary follows its header block gets an empty
 * content, so writing or encoding the message raises no CRITICAL (fatal
 * under g_test) and keeps the part. */
static void
test_bodiless_part(void)
{
    static const char raw[] =
        "From: a@b\nSubject: s\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=XX\n\n"
        "--XX\nContent-Type: text/plain\n\nhello\n"
        "--XX\nContent-Type: application/octet-stream\n"
        "--XX--\n";
    g_autoptr(GBytes) b = g_bytes_new_static(raw, sizeof raw - 1);
    GMimeMessage *msg = mime_parse(b, NULL);
    g_assert_nonnull(msg);
    GMimeMultipart *mp = GMIME_MULTIPART(g_mime_message_get_mime_part(msg));
    g_assert_cmpint(g_mime_multipart_get_count(mp), ==, 2);
    GMimeObject *empty = g_mime_multipart_get_part(mp, 1);
    g_assert_nonnull(g_mime_part_get_content(GMIME_PART(empty)));
    g_assert_false(mime_part_has_body(empty));
    g_assert_true(mime_part_has_body(g_mime_multipart_get_part(mp, 0)));
    g_mime_object_encode(GMIME_OBJECT(msg), GMIME_ENCODING_CONSTRAINT_7BIT);
    g_autofree char *out = g_mime_object_to_string(GMIME_OBJECT(msg), NULL);
    g_assert_nonnull(strstr(out, "Content-Type: application/octet-stream"));
    g_object_unref(msg);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    mime_init();
    g_test_add_func("/mime/fixes/encoded-words", test_encoded_words);
    g_test_add_func("/mime/fixes/base64", test_base64);
    g_test_add_func("/mime/fixes/qp", test_qp);
    g_test_add_func("/mime/fixes/messages", test_messages);
    g_test_add_func("/mime/fixes/leading-blank-lines", test_leading_blank_lines);
    g_test_add_func("/mime/fixes/unpadded-attachment", test_unpadded_attachment);
    g_test_add_func("/mime/fixes/qp-message", test_qp_message);
    g_test_add_func("/mime/fixes/bodiless-part", test_bodiless_part);
    return g_test_run();
}
