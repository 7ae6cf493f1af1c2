/* The pieces of mime/: charsets, flowed text, HTML, uuencode scanning,
 * mailcap, building messages (and reading them back), replies and
 * forwards, saving and opening attachments. */
#include <config.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "mime/mime.h"
#include "mime/private.h"
#include "util/util.h"

/* ---- charsets ---------------------------------------------------------- */

typedef struct {
    const char *in;
    gssize len;
    const char *charset;
    const char *out;
} CharsetCase;

static const CharsetCase charset_cases[] = {
    { "caf\xe9", -1, "iso-8859-1", "caf\xc3\xa9" },
    { "caf\xe9", -1, "latin1", "caf\xc3\xa9" },
    { "caf\xc3\xa9", -1, "utf-8", "caf\xc3\xa9" },
    { "caf\xc3\xa9", -1, NULL, "caf\xc3\xa9" },                 /* missing: UTF-8 */
    { "caf\xe9", -1, NULL, "caf\xc3\xa9" },                     /* missing: Latin */
    { "\x93q\x94", -1, "x-unknown", "\xe2\x80\x9cq\xe2\x80\x9d" }, /* unknown: cp1252 */
    { "caf\xe9", -1, "utf-8", "caf\xc3\xa9" },                  /* mislabelled */
    { "caf\xe9", -1, "us-ascii", "caf\xc3\xa9" },               /* mislabelled */
    { "\x81\x8d", -1, NULL, "\xc2\x81\xc2\x8d" },               /* not cp1252: Latin-1 */
    { "ok \xe6\x97\xa5 \xc3(", -1, "utf-8", "ok \xe6\x97\xa5 \xef\xbf\xbd(" }, /* broken UTF-8 */
    { "a\0b", 3, "utf-8", "a\xef\xbf\xbd" "b" },                /* NUL */
    { "\xf0\xd2\xc9", -1, "koi8-r", "\xd0\x9f\xd1\x80\xd0\xb8" },
    { "\x1b$B$3$s\x1b(B", -1, "iso-2022-jp", "\xe3\x81\x93\xe3\x82\x93" },
    /* Labels read as browsers do (WHATWG): the Windows supersets. */
    { "\x93" "Angebot\x94 \x96 1.250 \x80", -1, "ISO-8859-1",
      "\xe2\x80\x9c" "Angebot\xe2\x80\x9d \xe2\x80\x93 1.250 \xe2\x82\xac" },
    { "\x93q\x94", -1, "us-ascii", "\xe2\x80\x9cq\xe2\x80\x9d" },
    { "\x82\xa0\x87\x40", -1, "Shift_JIS", "\xe3\x81\x82\xe2\x91\xa0" },       /* あ① */
    { "\x1b$B$3-j\x1b(B", -1, "ISO-2022-JP", "\xe3\x81\x93\xe3\x88\xb1" },     /* こ㈱ */
    { "\x1b(I1\x1b(B", -1, "iso-2022-jp", "\xef\xbd\xb1" },                      /* ｱ */
    { "\xc7\xd1\xb1\xdb\xb1\x9b", -1, "ks_c_5601-1987",
      "\xed\x95\x9c\xea\xb8\x80\xec\xbd\xa3" },                                  /* CP949 */
    { "\xc7\xd1\xb1\xdb", -1, "euc-kr", "\xed\x95\x9c\xea\xb8\x80" },
    { "\xc4\xe3\x81\x40", -1, "gb2312", "\xe4\xbd\xa0\xe4\xb8\x82" },       /* GBK */
    /* One bad sequence is one U+FFFD; the rest still converts. */
    { "\x82\xa0 \xff \x82\xa2", -1, "shift_jis", "\xe3\x81\x82 \xef\xbf\xbd \xe3\x81\x84" },
    { "\x1b$B$3\x7f\x7f$s\x1b(B", -1, "iso-2022-jp",
      "\xe3\x81\x93\xef\xbf\xbd\xef\xbf\xbd\xe3\x82\x93" },
    { "\xc4\xe3\x80", -1, "gbk", "\xe4\xbd\xa0\xe2\x82\xac" },
    /* CRLF line ends become LF; a lone CR stays (shown as ^M). */
    { "one\r\ntwo\r\n", -1, "utf-8", "one\ntwo\n" },
    { "caf\xe9\r\n", -1, "iso-8859-1", "caf\xc3\xa9\n" },
    { "a\rb\r", -1, NULL, "a\rb\r" },
};

static void
test_charsets(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(charset_cases); i++) {
        const CharsetCase *c = &charset_cases[i];
        gsize len = c->len < 0 ? strlen(c->in) : (gsize)c->len;
        g_autofree char *got = mime_charset_to_utf8(c->in, len, c->charset);
        g_assert_cmpstr(got, ==, c->out);
    }
}

/* ---- header.h: what every module uses ---------------------------------- */

static gboolean
collect_field(const char *name, const char *value, gpointer data)
{
    g_string_append_printf(data, "%s=%s|", name, value);
    return FALSE;
}

static void
test_header_fields(void)
{
    const char *msg = "From sender@example.org Mon Mar  2 10:00:00 2026\n"
                      "Subject: one\n two\r\n\tthree\n"
                      "junk line\n"
                      "To : =?UTF-8?B?SsO8cmc=?= =?UTF-8?B?ZW4=?= <j@example.org>,\n"
                      "  team: a@example.org, \"B, Bee\" <b@example.org>;, c\n"
                      "\n"
                      "Body: not a field\n";
    GString *all = g_string_new(NULL);
    g_assert_false(mime_header_foreach(msg, strlen(msg), collect_field, all));
    g_assert_cmpstr(all->str, ==,
                    "Subject=one two three|To==?UTF-8?B?SsO8cmc=?= =?UTF-8?B?ZW4=?= "
                    "<j@example.org>, team: a@example.org, \"B, Bee\" <b@example.org>;, c|");
    g_string_free(all, TRUE);

    g_autofree char *to = mime_header_get(msg, strlen(msg), "to");
    g_autoptr(GPtrArray) list = mime_address_list_parse(to);
    g_assert_cmpuint(list->len, ==, 4);   /* the group flattened */
    const MimeMailbox *m = list->pdata[0];
    g_assert_cmpstr(m->name, ==, "J\xc3\xbcrgen");   /* adjacent words joined */
    g_assert_cmpstr(m->address, ==, "j@example.org");
    m = list->pdata[2];
    g_assert_cmpstr(m->name, ==, "B, Bee");
    m = list->pdata[3];
    g_assert_null(m->name);
    g_assert_cmpstr(m->address, ==, "c");           /* no domain: still read */
    g_assert_null(mime_header_get(msg, strlen(msg), "Body"));
    g_assert_null(mime_address_list_parse(NULL));

    g_autofree char *shown = mime_address_list_display("=?UTF-8?B?SsO8cmc=?= =?UTF-8?B?ZW4=?= <j@example.org>");
    g_assert_cmpstr(shown, ==, "J\xc3\xbcrgen <j@example.org>");
    /* Domains as the sender wrote them: Unicode stays Unicode (GMime
     * writes them in ASCII), the ASCII form stays ASCII. */
    static const struct { const char *raw, *want; } idn[] = {
        { "\"J\xc3\xb6hn Doe\" <jd\xc3\xb6" "e@m\xc3\xa4" "chine.example>",
          "J\xc3\xb6hn Doe <jd\xc3\xb6" "e@m\xc3\xa4" "chine.example>" },
        { "a@b\xc3\xbc" "cher.example, Bob <bob@xn--bcher-kva.example>",
          "a@xn--bcher-kva.example, Bob <bob@xn--bcher-kva.example>" },
        { "team: a@b\xc3\xbc" "cher.example, b@example.org;",
          "team: a@b\xc3\xbc" "cher.example, b@example.org;" },
        { "Jorg <jorg@xn--bcher-kva.example>", "Jorg <jorg@xn--bcher-kva.example>" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(idn); i++) {
        g_autofree char *got = mime_address_list_display(idn[i].raw);
        g_assert_cmpstr(got, ==, idn[i].want);
    }
    g_autofree char *fmt = mime_mailbox_format("J\xc3\xbcrgen M\xc3\xbcller", "j@example.org");
    g_autoptr(GPtrArray) back = mime_address_list_parse(fmt);
    g_assert_true(g_str_is_ascii(fmt));
    g_assert_cmpstr(((MimeMailbox *)back->pdata[0])->name, ==, "J\xc3\xbcrgen M\xc3\xbcller");
    g_autoptr(GDateTime) dt = mime_date_parse("Mon, 2 Mar 2026 10:00:00 +0100");
    g_assert_nonnull(dt);
    g_assert_cmpint(g_date_time_to_unix(dt), ==, 1772442000);
}

/* ---- flowed -------------------------------------------------------------- */

typedef struct {
    const char *in;
    gboolean delsp;
    const char *out;
} FlowedCase;

static const FlowedCase flowed_cases[] = {
    { "a \nb\n", FALSE, "a b\n" },
    { "a \nb\n", TRUE, "ab\n" },
    { "one \ntwo \nthree\nfour\n", FALSE, "one two three\nfour\n" },
    { "> q \n> r\n", FALSE, "> q r\n" },
    { "> q \n>> r\n", FALSE, "> q \n>> r\n" },          /* depth change ends it */
    { " >not quote\n", FALSE, ">not quote\n" },          /* space-stuffed */
    { "-- \nsig\n", FALSE, "-- \nsig\n" },               /* signature never flows */
    { "crlf \r\nend\r\n", FALSE, "crlf end\n" },
    { "", FALSE, "" },
    { "last flowed ", FALSE, "last flowed \n" },
};

static void
test_flowed(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(flowed_cases); i++) {
        g_autofree char *got = mime_flowed_reflow(flowed_cases[i].in, flowed_cases[i].delsp);
        g_assert_cmpstr(got, ==, flowed_cases[i].out);
    }
}

/* ---- HTML -------------------------------------------------------------- */

typedef struct {
    const char *in;
    const char *out;
} HtmlCase;

static const HtmlCase html_cases[] = {
    { "<p>a</p><p>b</p>", "a\n\nb\n" },
    { "x&amp;y &lt;z&gt; &#65;&#x42; &bogus; & end", "x&y <z> AB &bogus; & end\n" },
    { "<a href=\"http://e.org/\">site</a>", "site <http://e.org/>\n" },
    { "<a href=\"mailto:a@b.c\">a@b.c</a>", "a@b.c\n" },
    { "<ul><li>1<li>2</ul>", "* 1\n* 2\n" },
    { "<script>evil()</script><style>x{}</style>ok", "ok\n" },
    { "a<br>b<br/>c", "a\nb\nc\n" },
    { "  lots   of\n\n  space  ", "lots of space\n" },
    { "<pre> a\n  b</pre>", " a\n  b\n" },
    { "<img alt=\"pic\" src=x>", "[pic]\n" },
    { "unclosed <b", "unclosed <b\n" },
    { "<!-- hidden -->shown", "shown\n" },
    { "&#0;&#x110000;&#99999999999;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n" },
    { "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc\n" },
    /* The title is the page's name, not body text. */
    { "<html><head><title>Newsletter</title></head><body><p>Hi</p></body></html>", "Hi\n" },
    /* <head> never closed: the first body tag or text ends it. */
    { "<html><head><meta charset=utf-8><title>T</title><body><p>Body text</p>", "Body text\n" },
    { "<head><meta name=x content=y>\n<div>in a div</div>", "in a div\n" },
    { "<head><title>T</title>\nplain text after</html>", "plain text after\n" },
    { "<HEAD><STYLE>p{}</STYLE></HEAD>Shown", "Shown\n" },
    /* What the page hides itself (a preheader) stays hidden... */
    { "<div style=\"display:none;max-height:0\">preheader</div><p>Text</p>", "Text\n" },
    { "<span style='DISPLAY : None'>a<span>b</span>c</span>after", "after\n" },
    { "<div style=\"mso-hide:all\"><div>x</div></div><div>y</div>", "y\n" },
    { "<td style=\"display:block\">shown</td>", "shown\n" },
    { "a<br style=\"display:none\"/>b", "a\nb\n" },
    /* ...but a hidden element never closed hides nothing. */
    { "<div style=\"display:none\">all the text", "all the text\n" },
};

static void
test_html_builtin(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(html_cases); i++) {
        g_autofree char *got = mime_html_to_text_builtin(html_cases[i].in);
        g_assert_cmpstr(got, ==, html_cases[i].out);
    }
}

static char *
write_temp(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* The converter from the config, then a mailcap copiousoutput entry, then
 * the built-in one when neither works. */
static void
test_html_converters(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-html-XXXXXX", NULL);
    const char *html = "<p>Hi <b>there</b></p>\n";

    MimeViewOptions conf = { "sed -e s/<[^>]*>//g -e s/Hi/CONVERTED/", NULL, FALSE };
    g_autofree char *a = mime_html_to_text(html, &conf);
    g_assert_cmpstr(a, ==, "CONVERTED there\n");

    g_autofree char *mc = write_temp(dir, "mailcap",
                                     "# comment\n"
                                     "text/html; false %s; test=false; copiousoutput\n"
                                     "text/html; sed -n \\\n  s/Hi/MAILCAP/p %s; copiousoutput\n");
    const char *files[] = { mc, NULL };
    MimeViewOptions viamc = { NULL, files, FALSE };
    g_autofree char *b = mime_html_to_text(html, &viamc);
    g_assert_cmpstr(b, ==, "<p>MAILCAP <b>there</b></p>\n");

    MimeViewOptions broken = { "/nonexistent/converter", NULL, FALSE };
    g_autofree char *c = mime_html_to_text(html, &broken);
    g_assert_cmpstr(c, ==, "Hi there\n");

    /* A converter that hangs is stopped; the built-in one takes over. */
    guint saved = mime_filter_timeout_ms;
    mime_filter_timeout_ms = 300;
    MimeViewOptions hang = { "sleep 60", NULL, FALSE };
    gint64 start = g_get_monotonic_time();
    g_autofree char *h = mime_html_to_text(html, &hang);
    g_assert_cmpstr(h, ==, "Hi there\n");
    g_assert_cmpint(g_get_monotonic_time() - start, <, 50 * G_USEC_PER_SEC);
    mime_filter_timeout_ms = saved;

    MimeViewOptions none = { "sed s/Hi/NO/", NULL, TRUE };
    g_autofree char *d = mime_html_to_text(html, &none);
    g_assert_cmpstr(d, ==, "Hi there\n");

    unlink(mc);
    g_rmdir(dir);
}

/* ---- uuencode ---------------------------------------------------------- */

typedef struct {
    const char *text;
    guint blocks;
    const char *first_name;
    const char *first_data;
    gboolean first_damaged;
    const char *rest;
} UuCase;

static const UuCase uu_cases[] = {
    { "hi\nbegin 644 a.txt\n#86)C\n`\nend\nbye\n", 1, "a.txt", "abc", FALSE, "hi\nbye\n" },
    { "begin 0755 run me.sh\n#86)C\n`\nend\n", 1, "run me.sh", "abc", FALSE, "" },
    /* CRLF lines, spaces instead of backquotes, a missing trailing char. */
    { "begin 644 b\r\n#86)C\r\n \r\nend\r\n", 1, "b", "abc", FALSE, "" },
    { "begin 644 short\n!80\n`\nend\n", 1, "short", "a", FALSE, "" },
    /* Truncated: no end. */
    { "begin 644 t\n#86)C\n", 1, "t", "abc", TRUE, "" },
    /* Characters outside ' '..'`' make no data line: the block stops
     * there, damaged (a short line is fine: see stripped-lines). */
    { "begin 644 d\nMxyz\n`\nend\n", 0, NULL, NULL, FALSE, "begin 644 d\nMxyz\n`\nend\n" },
    { "begin 644 d\n#86)C\nMxyz\nend\n", 1, "d", "abc", TRUE, "Mxyz\nend\n" },
    /* No name (mime-tools' sig-uu.msg): a block when it is whole. */
    { "begin 644\n#86)C\nend\n", 1, NULL, "abc", FALSE, "" },
    { "x\nbegin 0644 \n#86)C\n`\nend\ny\n", 1, NULL, "abc", FALSE, "x\ny\n" },
    /* Not blocks. */
    { "begin 644\n#86)C\n", 0, NULL, NULL, FALSE, "begin 644\n#86)C\n" },
    { "begin 644\n#86)C\nMxyz\nend\n", 0, NULL, NULL, FALSE, "begin 644\n#86)C\nMxyz\nend\n" },
    { "begin 644x\n#86)C\nend\n", 0, NULL, NULL, FALSE, "begin 644x\n#86)C\nend\n" },
    { "begin 64 x\n#86)C\nend\n", 0, NULL, NULL, FALSE, "begin 64 x\n#86)C\nend\n" },
    { "begin 648 x\n#86)C\nend\n", 0, NULL, NULL, FALSE, "begin 648 x\n#86)C\nend\n" },
    { "begin 644 x\nplain words here\n", 0, NULL, NULL, FALSE, "begin 644 x\nplain words here\n" },
    /* Empty file. */
    { "begin 644 empty\n`\nend\n", 1, "empty", "", FALSE, "" },
    /* Two blocks. */
    { "begin 644 1\n#86)C\nend\nmid\nbegin 644 2\n#>'EZ\nend\n", 2, "1", "abc", FALSE, "mid\n" },
};

static void
test_uu_scan(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(uu_cases); i++) {
        const UuCase *c = &uu_cases[i];
        GString *rest = g_string_new(NULL);
        g_autoptr(GPtrArray) blocks = mime_uu_scan(c->text, strlen(c->text), rest);
        g_test_message("uu case %" G_GSIZE_FORMAT, i);
        g_assert_cmpuint(blocks->len, ==, c->blocks);
        if (c->blocks > 0) {
            MimeUuBlock *b = blocks->pdata[0];
            g_assert_cmpstr(b->name, ==, c->first_name);
            gsize len = 0;
            const char *data = g_bytes_get_data(b->data, &len);
            g_assert_cmpmem(data, len, c->first_data, strlen(c->first_data));
            g_assert_cmpint(b->damaged, ==, c->first_damaged);
        }
        g_assert_cmpstr(rest->str, ==, c->rest);
        g_string_free(rest, TRUE);
    }
}

/* Old encoders write zero bits as spaces; stripping the trailing spaces
 * leaves short lines (down to the count character alone).  uudecode reads
 * them as spaces, and so must we: all bytes, nothing in the body. */
static void
test_uu_stripped_lines(void)
{
    guint8 data[150] = { 'a', 'b', 'c' };
    data[50] = 'x';
    data[140] = 'y';
    GString *enc = g_string_new(NULL);
    mime_uu_encode_block(enc, "zeros.bin", data, sizeof data);
    g_auto(GStrv) lines = g_strsplit(enc->str, "\n", -1);
    GString *text = g_string_new("before\n");
    for (char **l = lines; *l && **l; l++) {
        if (!g_str_has_prefix(*l, "begin ") && strcmp(*l, "end") != 0)
            g_strdelimit(*l, "`", ' ');
        g_strchomp(*l);
        g_string_append_printf(text, "%s\n", *l);
    }
    g_string_append(text, "after\n");
    g_assert_nonnull(strstr(text->str, "\nM\n"));   /* a line cut to its count */
    GString *rest = g_string_new(NULL);
    g_autoptr(GPtrArray) blocks = mime_uu_scan(text->str, text->len, rest);
    g_assert_cmpuint(blocks->len, ==, 1);
    MimeUuBlock *b = blocks->pdata[0];
    g_assert_cmpmem(g_bytes_get_data(b->data, NULL), g_bytes_get_size(b->data), data, sizeof data);
    g_assert_false(b->damaged);
    g_assert_cmpstr(rest->str, ==, "before\nafter\n");
    g_string_free(rest, TRUE);
    g_string_free(text, TRUE);
    g_string_free(enc, TRUE);
}

/* ---- TNEF (winmail.dat) ------------------------------------------------- */

static void
tnef_attr(GByteArray *out, guint8 level, guint32 attr, const void *data, guint32 len,
          gboolean bad_sum)
{
    guint8 head[9] = { level, (guint8)attr, (guint8)(attr >> 8), (guint8)(attr >> 16),
                       (guint8)(attr >> 24), (guint8)len, (guint8)(len >> 8),
                       (guint8)(len >> 16), (guint8)(len >> 24) };
    g_byte_array_append(out, head, sizeof head);
    g_byte_array_append(out, data, len);
    guint sum = bad_sum ? 1 : 0;
    for (guint32 i = 0; i < len; i++)
        sum += ((const guint8 *)data)[i];
    guint8 tail[2] = { (guint8)sum, (guint8)(sum >> 8) };
    g_byte_array_append(out, tail, 2);
}

static GByteArray *
tnef_start(void)
{
    GByteArray *t = g_byte_array_new();
    g_byte_array_append(t, (const guint8 *)"\x78\x9f\x3e\x22\x01\x00", 6);
    return t;
}

/* MAPI properties: PR_ATTACH_LONG_FILENAME in UTF-16LE ("é.txt"), a
 * PT_LONG before it, and a named property to skip. */
static const guint8 mapi_long_name[] = {
    3, 0, 0, 0,                                   /* three properties */
    0x03, 0x00, 0x20, 0x0e, 5, 0, 0, 0,           /* PT_LONG PR_ATTACH_SIZE */
    0x03, 0x00, 0x01, 0x80,                       /* named PT_LONG 0x8001 */
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 0, 0, 0, 7, 0, 0, 0,
    9, 0, 0, 0,
    0x1f, 0x00, 0x07, 0x37, 1, 0, 0, 0, 12, 0, 0, 0,   /* PT_UNICODE 0x3707, 12 bytes */
    0xe9, 0, '.', 0, 't', 0, 'x', 0, 't', 0, 0, 0,
};

static void
test_tnef(void)
{
    gboolean damaged = TRUE;
    g_assert_null(mime_tnef_files((const guint8 *)"not tnef", 8, &damaged));
    g_assert_null(mime_tnef_files(NULL, 0, &damaged));

    /* Two files: one named by its title (CP1252), one by MAPI. */
    g_autoptr(GByteArray) t = tnef_start();
    guint8 cp[8] = { 0xe4, 0x04, 0, 0 };   /* code page 1252 */
    tnef_attr(t, 1, 0x00069007, cp, 8, FALSE);
    tnef_attr(t, 1, 0x00018004, "subject", 8, FALSE);
    tnef_attr(t, 2, 0x00069002, "\0\0\0\0", 4, FALSE);
    tnef_attr(t, 2, 0x00018010, "r\xe9sum\xe9.doc", 11, FALSE);
    tnef_attr(t, 2, 0x0006800f, "DOCDATA", 7, FALSE);
    tnef_attr(t, 2, 0x00069002, "\0\0\0\0", 4, FALSE);
    tnef_attr(t, 2, 0x00018010, "E~1.TXT", 8, FALSE);
    tnef_attr(t, 2, 0x0006800f, "text", 4, FALSE);
    tnef_attr(t, 2, 0x00069005, mapi_long_name, sizeof mapi_long_name, FALSE);
    g_autoptr(GPtrArray) files = mime_tnef_files(t->data, t->len, &damaged);
    g_assert_nonnull(files);
    g_assert_false(damaged);
    g_assert_cmpuint(files->len, ==, 2);
    MimeTnefFile *f = files->pdata[0];
    g_assert_cmpstr(f->name, ==, "r\xc3\xa9sum\xc3\xa9.doc");
    g_assert_cmpmem(g_bytes_get_data(f->data, NULL), g_bytes_get_size(f->data), "DOCDATA", 7);
    f = files->pdata[1];
    g_assert_cmpstr(f->name, ==, "\xc3\xa9.txt");
    g_assert_cmpmem(g_bytes_get_data(f->data, NULL), g_bytes_get_size(f->data), "text", 4);

    /* Cut short inside an attribute: what was read stays, marked. */
    g_autoptr(GPtrArray) cut = mime_tnef_files(t->data, t->len - 30, &damaged);
    g_assert_true(damaged);
    g_assert_cmpuint(cut->len, ==, 2);

    /* A length far past the end; a bad checksum. */
    g_autoptr(GByteArray) bad = tnef_start();
    tnef_attr(bad, 2, 0x00069002, "", 0, FALSE);
    tnef_attr(bad, 2, 0x0006800f, "abc", 3, TRUE);
    g_autoptr(GPtrArray) b1 = mime_tnef_files(bad->data, bad->len, &damaged);
    g_assert_true(damaged);
    g_assert_cmpuint(b1->len, ==, 1);
    guint8 huge[] = { 2, 0x0f, 0x80, 6, 0, 0xff, 0xff, 0xff, 0x7f, 'x' };
    g_byte_array_append(bad, huge, sizeof huge);
    g_autoptr(GPtrArray) b2 = mime_tnef_files(bad->data, bad->len, &damaged);
    g_assert_true(damaged);
    g_assert_cmpuint(b2->len, ==, 1);

    /* A truncated MAPI list keeps the title. */
    g_autoptr(GByteArray) m = tnef_start();
    tnef_attr(m, 2, 0x00069002, "", 0, FALSE);
    tnef_attr(m, 2, 0x00018010, "title.bin", 10, FALSE);
    tnef_attr(m, 2, 0x00069005, mapi_long_name, 30, FALSE);
    g_autoptr(GPtrArray) mf = mime_tnef_files(m->data, m->len, &damaged);
    g_assert_cmpuint(mf->len, ==, 1);
    g_assert_cmpstr(((MimeTnefFile *)mf->pdata[0])->name, ==, "title.bin");
}

static void
test_uu_round_trip(void)
{
    for (gsize size = 0; size < 300; size += 7) {
        guint8 *data = g_malloc(size + 1);
        for (gsize i = 0; i < size; i++)
            data[i] = (guint8)(i * 37 + size);
        GString *out = g_string_new("text before\n");
        mime_uu_encode_block(out, "file.bin", data, size);
        g_autoptr(GPtrArray) blocks = mime_uu_scan(out->str, out->len, NULL);
        g_assert_cmpuint(blocks->len, ==, 1);
        MimeUuBlock *b = blocks->pdata[0];
        g_assert_false(b->damaged);
        g_assert_cmpuint(b->mode, ==, 0644);
        gsize len = 0;
        const guint8 *got = g_bytes_get_data(b->data, &len);
        g_assert_cmpmem(got, len, data, size);
        g_string_free(out, TRUE);
        g_free(data);
    }
}

/* ---- mailcap ----------------------------------------------------------- */

static void
test_mailcap_parse(void)
{
    const char *text =
        "# a comment\n"
        "\n"
        "image/png; display %s; needsterminal\n"
        "image/*; feh %s; test=true ; nametemplate=%s.img\n"
        "text/html; w3m -dump -T text/html %s; copiousoutput; \\\n"
        "    needsterminal\n"
        "text; less\n"
        "application/x-semi; echo a\\;b %s\n"
        "broken line without command\n"
        "APPLICATION/PDF; zathura '%s'\n";
    g_autoptr(GPtrArray) e = mime_mailcap_parse(text);
    g_assert_cmpuint(e->len, ==, 6);
    MimeMailcapEntry *png = e->pdata[0];
    g_assert_cmpstr(png->type, ==, "image/png");
    g_assert_cmpstr(png->command, ==, "display %s");
    g_assert_true(png->needsterminal);
    g_assert_false(png->copiousoutput);
    MimeMailcapEntry *img = e->pdata[1];
    g_assert_cmpstr(img->test, ==, "true");
    g_assert_cmpstr(img->nametemplate, ==, "%s.img");
    MimeMailcapEntry *html = e->pdata[2];
    g_assert_true(html->copiousoutput);
    g_assert_true(html->needsterminal);
    g_assert_cmpstr(((MimeMailcapEntry *)e->pdata[3])->type, ==, "text/*");
    g_assert_cmpstr(((MimeMailcapEntry *)e->pdata[4])->command, ==, "echo a;b %s");
    g_assert_cmpstr(((MimeMailcapEntry *)e->pdata[5])->type, ==, "application/pdf");

    g_assert_true(mime_mailcap_find(e, "image/png", FALSE) == png);
    g_assert_true(mime_mailcap_find(e, "image/gif", FALSE) == img);
    g_assert_true(mime_mailcap_find(e, "text/html", TRUE) == html);
    g_assert_null(mime_mailcap_find(e, "image/png", TRUE));
    g_assert_null(mime_mailcap_find(e, "video/mp4", FALSE));

    /* A failing test command skips the entry. */
    g_autoptr(GPtrArray) t = mime_mailcap_parse("image/*; a %s; test=false\nimage/*; b %s\n");
    g_assert_cmpstr(mime_mailcap_find(t, "image/gif", FALSE)->command, ==, "b %s");
}

typedef struct {
    const char *command;
    const char *file;
    const char *argv; /* joined with '|' */
} ArgvCase;

static const ArgvCase argv_cases[] = {
    { "display %s", "/tmp/x/a.png", "display|/tmp/x/a.png" },
    { "less", "/tmp/f", "less|/tmp/f" },
    { "zathura '%s'", "/tmp/a b.pdf", "zathura|/tmp/a b.pdf" },
    { "conv --in=%s --type %t 100%%", "/tmp/f", "conv|--in=/tmp/f|--type|image/png|100%" },
    /* A hostile file name stays one argument; nothing is run by a shell. */
    { "view %s", "/tmp/$(rm -rf ~); `x`;.png", "view|/tmp/$(rm -rf ~); `x`;.png" },
};

static void
test_mailcap_argv(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(argv_cases); i++) {
        g_auto(GStrv) argv = mime_mailcap_argv(argv_cases[i].command, argv_cases[i].file,
                                               "image/png", NULL, NULL);
        g_assert_nonnull(argv);
        g_autofree char *joined = g_strjoinv("|", argv);
        g_assert_cmpstr(joined, ==, argv_cases[i].argv);
    }
    g_autoptr(GError) error = NULL;
    g_assert_null(mime_mailcap_argv("view 'unterminated", "/f", "a/b", NULL, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG);
}

/* What the sender controls reaches %t and %{NAME} only in
 * [A-Za-z0-9._+/-]: a hostile type becomes application/octet-stream, a
 * hostile or absent parameter is empty. */
typedef struct {
    const char *type;
    const char *argv; /* "v %t %{charset} %{x} %{missing}", joined with '|' */
} HostileCase;

static const HostileCase hostile_cases[] = {
    { "application/vnd.ms-excel", "v|application/vnd.ms-excel|utf-8|||/f" },
    { "image/svg+xml", "v|image/svg+xml|utf-8|||/f" },
    { "application/x`id`", "v|application/octet-stream|utf-8|||/f" },
    { "application/$(id)", "v|application/octet-stream|utf-8|||/f" },
    { "a/b|c&d{e}!f", "v|application/octet-stream|utf-8|||/f" },
    { "a/b c", "v|application/octet-stream|utf-8|||/f" },
    { "a/b;c", "v|application/octet-stream|utf-8|||/f" },
    { "", "v|application/octet-stream|utf-8|||/f" },
    { NULL, "v|application/octet-stream|utf-8|||/f" },
};

static void
test_mailcap_hostile(void)
{
    /* x is hostile, "missing" absent: both empty. */
    const char *params[] = { "CharSet", "utf-8", "x", "a'b`id`", NULL };
    for (gsize i = 0; i < G_N_ELEMENTS(hostile_cases); i++) {
        g_auto(GStrv) argv = mime_mailcap_argv("v %t %{charset} %{x} %{missing}", "/f",
                                               hostile_cases[i].type, params, NULL);
        g_assert_nonnull(argv);
        g_autofree char *joined = g_strjoinv("|", argv);
        g_assert_cmpstr(joined, ==, hostile_cases[i].argv);
    }
    g_assert_cmpstr(mime_mailcap_safe_type("text/plain"), ==, "text/plain");
    g_assert_cmpstr(mime_mailcap_safe_type("text/pl`ain"), ==, "application/octet-stream");
}

/* ---- build and read back ------------------------------------------------- */

static GBytes *
parse_file_bytes(const char *path)
{
    char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    return g_bytes_new_take(data, len);
}

static char *
header_of(const char *msg, const char *name)
{
    g_autofree char *key = g_strdup_printf("\n%s: ", name);
    g_autofree char *head = g_strconcat("\n", msg, NULL);
    char *end = strstr(head, "\n\n");
    if (end)
        *end = '\0';
    char *p = strstr(head, key);
    if (!p)
        return NULL;
    p += strlen(key);
    return g_strndup(p, strcspn(p, "\n"));
}

static void
assert_wire_safe(const char *msg)
{
    /* LF only, 7-bit, every line within 998 (RFC 5322) and the headers
     * folded near 78. */
    g_assert_null(strchr(msg, '\r'));
    gsize col = 0;
    for (const char *p = msg; *p; p++) {
        g_assert_cmpint((unsigned char)*p, <, 0x80);
        col = *p == '\n' ? 0 : col + 1;
        g_assert_cmpuint(col, <=, 998);
    }
}

static MimeDraft *
sample_draft(const char *dir)
{
    MimeDraft *d = mime_draft_new();
    d->from_name = g_strdup("J\xc3\xb6rg M\xc3\xbcller");
    d->from_address = g_strdup("joerg@example.org");
    d->to = g_strdup("\"Doe, John\" <john@example.net>, Ren\xc3\xa9 <rene@example.com>");
    d->cc = g_strdup("carol@example.com");
    d->bcc = g_strdup("secret@example.org");
    d->subject = g_strdup("Gr\xc3\xbc\xc3\x9f" "e \xe2\x80\x94 a subject long enough to need folding "
                          "across more than one line of header text");
    d->in_reply_to = g_strdup("<orig@example.net>");
    d->references = g_strdup("<first@example.net> <orig@example.net>");
    GString *body = g_string_new("Hallo,\n\nsch\xc3\xb6ne Gr\xc3\xbc\xc3\x9f" "e.\n");
    for (int i = 0; i < 120; i++)
        g_string_append(body, "long-line-");
    g_string_append(body, "\nFrom the start of a line.\n.\n");
    d->body = g_string_free(body, FALSE);
    g_ptr_array_add(d->attachments, write_temp(dir, "notes.txt", "plain text file\n"));
    guint8 png[64] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    g_autofree char *png_path = g_build_filename(dir, "bild.png", NULL);
    g_assert_true(g_file_set_contents(png_path, (const char *)png, sizeof png, NULL));
    g_ptr_array_add(d->attachments, g_strdup(png_path));
    g_ptr_array_add(d->attachments, write_temp(dir, "\xc3\xbc" "bersicht r\xc3\xa9sum\xc3\xa9.dat",
                                               "\x01\x02\x03\xff binary"));
    return d;
}

static void
test_build_mime(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-build-XXXXXX", NULL);
    g_autoptr(MimeDraft) d = sample_draft(dir);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) built = mime_build(d, &error);
    g_assert_no_error(error);
    g_autofree char *msg = g_strndup(g_bytes_get_data(built, NULL), g_bytes_get_size(built));
    assert_wire_safe(msg);

    g_autofree char *mid = header_of(msg, "Message-Id");
    g_assert_nonnull(mid);
    g_assert_true(g_str_has_suffix(mid, "@example.org>"));
    g_autofree char *date = header_of(msg, "Date");
    g_assert_nonnull(date);
    g_autofree char *mv = header_of(msg, "MIME-Version");
    g_assert_cmpstr(mv, ==, "1.0");
    g_autofree char *ua = header_of(msg, "User-Agent");
    g_assert_cmpstr(ua, ==, "postie/" PACKAGE_VERSION);
    g_autofree char *bcc = header_of(msg, "Bcc");
    g_assert_cmpstr(bcc, ==, "secret@example.org");
    g_autofree char *irt = header_of(msg, "In-Reply-To");
    g_assert_cmpstr(irt, ==, "<orig@example.net>");
    g_assert_nonnull(strstr(msg, "filename*=UTF-8''%C3%BCbersicht%20r%C3%A9sum%C3%A9.dat"));
    g_assert_nonnull(strstr(msg, "Content-Type: image/png"));
    g_assert_nonnull(strstr(msg, "Content-Type: text/plain"));
    g_assert_nonnull(strstr(msg, "From: =?UTF-8?"));

    /* Read it back. */
    MimeViewOptions opts = { NULL, NULL, TRUE };
    g_autoptr(MimeView) v = mime_view_new(built, &opts, &error);
    g_assert_no_error(error);
    MimeHeader *from = v->headers->pdata[0];
    g_assert_cmpstr(from->value, ==, "J\xc3\xb6rg M\xc3\xbcller <joerg@example.org>");
    MimeHeader *to = v->headers->pdata[1];
    g_assert_cmpstr(to->value, ==, "\"Doe, John\" <john@example.net>, Ren\xc3\xa9 <rene@example.com>");
    MimeHeader *subject = v->headers->pdata[4];
    g_assert_cmpstr(subject->value, ==, d->subject);
    g_assert_true(g_str_has_prefix(v->body_text, "Hallo,\n\nsch\xc3\xb6ne Gr\xc3\xbc\xc3\x9f" "e.\n"));
    g_assert_nonnull(strstr(v->body_text, "\nFrom the start of a line.\n.\n"));
    g_assert_cmpuint(v->attachments->len, ==, 3);
    const char *names[] = { "notes.txt", "bild.png", "\xc3\xbc" "bersicht r\xc3\xa9sum\xc3\xa9.dat" };
    const char *types[] = { "text/plain", "image/png", "application/octet-stream" };
    for (guint i = 0; i < 3; i++) {
        MimeAttachment *a = v->attachments->pdata[i];
        g_assert_cmpstr(a->name, ==, names[i]);
        g_assert_cmpstr(a->content_type, ==, types[i]);
        g_autoptr(GBytes) orig = parse_file_bytes(d->attachments->pdata[i]);
        g_assert_true(g_bytes_equal(orig, a->data));
    }
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_build_uuencode(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-build-XXXXXX", NULL);
    g_autoptr(MimeDraft) d = sample_draft(dir);
    d->attachment_encoding = ATTACH_ENCODING_UUENCODE;
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) built = mime_build(d, &error);
    g_assert_no_error(error);
    g_autofree char *msg = g_strndup(g_bytes_get_data(built, NULL), g_bytes_get_size(built));
    assert_wire_safe(msg);
    /* One text/plain part, no multipart. */
    g_autofree char *ct = header_of(msg, "Content-Type");
    g_assert_true(g_str_has_prefix(ct, "text/plain"));
    g_assert_null(strstr(msg, "multipart"));

    MimeViewOptions opts = { NULL, NULL, TRUE };
    g_autoptr(MimeView) v = mime_view_new(built, &opts, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(v->attachments->len, ==, 3);
    /* Names on begin lines are transliterated to ASCII for old readers. */
    const char *names[] = { "notes.txt", "bild.png", "ubersicht resume.dat" };
    for (guint i = 0; i < 3; i++) {
        MimeAttachment *a = v->attachments->pdata[i];
        g_assert_true(a->uuencoded);
        g_assert_false(a->damaged);
        g_assert_cmpstr(a->name, ==, names[i]);
        g_autoptr(GBytes) orig = parse_file_bytes(d->attachments->pdata[i]);
        g_assert_true(g_bytes_equal(orig, a->data));
    }
    /* The text comes first, the blocks after it (markers in the view). */
    g_assert_true(g_str_has_prefix(v->body_text, "Hallo,\n"));
    g_assert_nonnull(strstr(v->body_text, "[-- attachment 1: notes.txt"));

    /* An all-ASCII body stays 7bit, so gateways see the blocks as sent. */
    g_free(d->body);
    d->body = g_strdup("plain ascii\n");
    g_autoptr(GBytes) ascii = mime_build(d, &error);
    g_assert_no_error(error);
    g_autofree char *amsg = g_strndup(g_bytes_get_data(ascii, NULL), g_bytes_get_size(ascii));
    g_autofree char *cte = header_of(amsg, "Content-Transfer-Encoding");
    g_assert_true(cte == NULL || g_ascii_strcasecmp(cte, "7bit") == 0);
    g_assert_nonnull(strstr(amsg, "\nbegin 644 notes.txt\n"));
    g_assert_nonnull(strstr(amsg, "\nend\n"));
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_build_errors(void)
{
    g_autoptr(MimeDraft) d = mime_draft_new();
    g_autoptr(GError) error = NULL;
    d->from_address = g_strdup("no-at-sign");
    g_assert_null(mime_build(d, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG);
    g_clear_error(&error);

    g_free(d->from_address);
    d->from_address = g_strdup("me@example.org");
    d->to = g_strdup("caf\xc3\xa9@example.org");   /* no SMTPUTF8 */
    g_assert_null(mime_build(d, &error));
    g_assert_nonnull(error);
    g_clear_error(&error);

    /* An IDN domain needs no SMTPUTF8: written in ASCII (xn--). */
    g_free(d->to);
    d->to = g_strdup("Bob <bob@b\xc3\xbc" "cher.example>");
    g_autoptr(GBytes) idn = mime_build(d, &error);
    g_assert_no_error(error);
    g_assert_nonnull(idn);
    g_autofree char *idn_text = g_strndup(g_bytes_get_data(idn, NULL), g_bytes_get_size(idn));
    g_assert_nonnull(strstr(idn_text, "\nTo: Bob <bob@xn--bcher-kva.example>\n"));

    g_free(d->to);
    d->to = g_strdup("you@example.org");
    g_ptr_array_add(d->attachments, g_strdup("/nonexistent/file.pdf"));
    g_assert_null(mime_build(d, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_IO);
    g_assert_nonnull(strstr(error->message, "/nonexistent/file.pdf"));
}

/* Text from the user cannot start a new header line. */
static void
test_build_header_injection(void)
{
    g_autoptr(MimeDraft) d = mime_draft_new();
    d->from_address = g_strdup("me@example.org");
    d->to = g_strdup("you@example.org");
    d->subject = g_strdup("hi\nBcc: victim@example.org");
    d->in_reply_to = g_strdup("<a@b>\r\nX-Evil: 1");
    g_autoptr(GBytes) built = mime_build(d, NULL);
    g_assert_nonnull(built);
    g_autofree char *msg = g_strndup(g_bytes_get_data(built, NULL), g_bytes_get_size(built));
    g_assert_null(strstr(msg, "\nBcc:"));
    g_assert_null(strstr(msg, "\nX-Evil:"));
}

/* ---- replies and forwards ---------------------------------------------- */

static const char original[] =
    "From: Alice <alice@example.org>\n"
    "To: Bob <bob@example.net>, Me <me@example.com>\n"
    "Cc: carol@example.com, ME@example.com, other-me@example.com\n"
    "Reply-To: list@example.org\n"
    "Subject: Re: AW: Fwd: Plans\n"
    "Date: Mon, 2 Mar 2026 10:00:00 +0100\n"
    "Message-ID: <orig@example.org>\n"
    "References: <root@example.org> <mid@example.org>\n"
    "\n"
    "Line one.\n"
    "\n"
    "> earlier quote\n";

static const char *const own[] = { "me@example.com", "other-me@example.com", NULL };

static MimeDraft *
reply(const char *raw, MimeReplyKind kind)
{
    g_autoptr(GBytes) b = g_bytes_new(raw, strlen(raw));
    MimeViewOptions opts = { NULL, NULL, TRUE };
    g_autoptr(GError) error = NULL;
    MimeDraft *d = mime_reply_draft(b, kind, own, &opts, &error);
    g_assert_no_error(error);
    return d;
}

static void
test_reply(void)
{
    g_autoptr(MimeDraft) d = reply(original, MIME_REPLY);
    g_assert_cmpstr(d->to, ==, "list@example.org");
    g_assert_null(d->cc);
    g_assert_cmpstr(d->from_address, ==, "me@example.com");
    g_assert_cmpstr(d->subject, ==, "Re: Plans");
    g_assert_cmpstr(d->in_reply_to, ==, "<orig@example.org>");
    g_assert_cmpstr(d->references, ==, "<root@example.org> <mid@example.org> <orig@example.org>");
    g_assert_cmpstr(d->body, ==,
                    "On Mon, 02 Mar 2026 10:00 +0100, Alice wrote:\n"
                    "> Line one.\n"
                    ">\n"
                    "> > earlier quote\n");
}

/* Outlook's base64 text carries CRLF: the reply quotes it without CRs. */
static void
test_reply_crlf(void)
{
    g_autofree char *b64 = g_base64_encode((const guchar *)"Hello\r\nSecond line\r\n", 20);
    g_autofree char *raw = g_strconcat(
        "From: Alice <alice@example.org>\nTo: me@example.com\nSubject: Plans\n"
        "Date: Mon, 2 Mar 2026 10:00:00 +0100\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n",
        b64, "\n", NULL);
    g_autoptr(MimeDraft) d = reply(raw, MIME_REPLY);
    g_assert_cmpstr(d->body, ==,
                    "On Mon, 02 Mar 2026 10:00 +0100, Alice wrote:\n"
                    "> Hello\n"
                    "> Second line\n");
}

static void
test_reply_all(void)
{
    g_autoptr(MimeDraft) d = reply(original, MIME_REPLY_ALL);
    g_assert_cmpstr(d->to, ==, "list@example.org, Bob <bob@example.net>");
    g_assert_cmpstr(d->cc, ==, "carol@example.com");

    /* Mail-Followup-To wins, own addresses still dropped. */
    g_autofree char *mft = g_strconcat("Mail-Followup-To: team@example.org, me@example.com\n",
                                       original, NULL);
    g_autoptr(MimeDraft) m = reply(mft, MIME_REPLY_ALL);
    g_assert_cmpstr(m->to, ==, "team@example.org");
    g_assert_null(m->cc);

    /* Reply to one's own sent message: to its recipients. */
    const char *sent = "From: Me <me@example.com>\nTo: dave@example.net\nSubject: RE: x\n"
                       "Message-ID: <s@example.com>\n\nhello\n";
    g_autoptr(MimeDraft) s = reply(sent, MIME_REPLY);
    g_assert_cmpstr(s->to, ==, "dave@example.net");
    g_assert_cmpstr(s->subject, ==, "Re: x");
    g_assert_cmpstr(s->references, ==, "<s@example.com>");
}

static void
test_forward(void)
{
    g_autoptr(MimeDraft) f = reply(original, MIME_FORWARD_INLINE);
    g_assert_cmpstr(f->subject, ==, "Fwd: Plans");
    g_assert_null(f->to);
    g_assert_null(f->forward_message);
    g_assert_cmpstr(f->body, ==,
                    "\n-------- Forwarded message --------\n"
                    "From: Alice <alice@example.org>\n"
                    "Date: Mon, 2 Mar 2026 10:00:00 +0100\n"
                    "Subject: Re: AW: Fwd: Plans\n"
                    "To: Bob <bob@example.net>, Me <me@example.com>\n"
                    "Cc: carol@example.com, ME@example.com, other-me@example.com\n"
                    "\n"
                    "Line one.\n\n> earlier quote\n");

    g_autoptr(MimeDraft) a = reply(original, MIME_FORWARD_ATTACH);
    g_assert_nonnull(a->forward_message);
    g_free(a->to);
    a->to = g_strdup("zed@example.net");
    g_autoptr(GBytes) built = mime_build(a, NULL);
    g_assert_nonnull(built);
    g_autoptr(MimeView) v = mime_view_new(built, NULL, NULL);
    g_assert_cmpuint(v->attachments->len, ==, 1);
    MimeAttachment *att = v->attachments->pdata[0];
    g_assert_cmpstr(att->content_type, ==, "message/rfc822");
    g_assert_nonnull(strstr(v->body_text, "-------- Embedded message --------\nFrom: Alice <alice@example.org>"));
    g_assert_nonnull(strstr(v->body_text, "Line one."));

    /* An 8-bit original (raw UTF-8 header and body) still goes out 7-bit,
     * and reads back the same. */
    const char *eight = "From: J\xc3\xb6rg <j@example.org>\nSubject: Gr\xc3\xbc\xc3\x9f" "e\n"
                        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
                        "Content-Transfer-Encoding: 8bit\n\nsch\xc3\xb6n\n";
    g_autoptr(MimeDraft) e = reply(eight, MIME_FORWARD_ATTACH);
    e->to = g_strdup("zed@example.net");
    g_autoptr(GBytes) ebuilt = mime_build(e, NULL);
    g_assert_nonnull(ebuilt);
    g_autofree char *emsg = g_strndup(g_bytes_get_data(ebuilt, NULL), g_bytes_get_size(ebuilt));
    assert_wire_safe(emsg);
    g_autoptr(MimeView) ev = mime_view_new(ebuilt, NULL, NULL);
    g_assert_nonnull(strstr(ev->body_text, "From: J\xc3\xb6rg <j@example.org>\n"));
    g_assert_nonnull(strstr(ev->body_text, "Subject: Gr\xc3\xbc\xc3\x9f" "e\n"));
    g_assert_nonnull(strstr(ev->body_text, "sch\xc3\xb6n"));
    g_assert_cmpstr(e->from_address, ==, "me@example.com");   /* first own address */

    /* Several messages forwarded together (the screen's ;f): one
     * message/rfc822 part each, in order, in MIME and in uuencode. */
    g_autoptr(MimeDraft) m = reply(original, MIME_FORWARD_ATTACH);
    m->to = g_strdup("zed@example.net");
    m->forward_more = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    g_ptr_array_add(m->forward_more, g_bytes_new_static(eight, strlen(eight)));
    g_autoptr(GBytes) mbuilt = mime_build(m, NULL);
    g_assert_nonnull(mbuilt);
    g_autoptr(MimeView) mv = mime_view_new(mbuilt, NULL, NULL);
    g_assert_cmpuint(mv->attachments->len, ==, 2);
    for (guint k = 0; k < 2; k++)
        g_assert_cmpstr(((MimeAttachment *)mv->attachments->pdata[k])->content_type, ==,
                        "message/rfc822");
    const char *first = strstr(mv->body_text, "Line one.");
    const char *second = strstr(mv->body_text, "sch\xc3\xb6n");
    g_assert_true(first && second && first < second);
    m->attachment_encoding = ATTACH_ENCODING_UUENCODE;
    g_autoptr(GBytes) ubuilt = mime_build(m, NULL);
    g_autofree char *umsg = g_strndup(g_bytes_get_data(ubuilt, NULL), g_bytes_get_size(ubuilt));
    g_assert_nonnull(strstr(umsg, "begin 644 forwarded.eml"));
    g_assert_nonnull(strstr(umsg, "begin 644 forwarded-2.eml"));
}

/* An inline forward keeps the original's attachments: in the draft (as
 * files in a private directory, gone with the draft) and in the message
 * built from it, byte for byte. */
static void
test_forward_inline_attachments(void)
{
    const char *orig =
        "From: Alice <alice@example.org>\nTo: me@example.com\nSubject: files\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nSee the files.\n"
        "--b\nContent-Type: application/pdf; name=\"report.pdf\"\n"
        "Content-Disposition: attachment; filename=\"report.pdf\"\n"
        "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQKJWZha2UK\n"
        "--b\nContent-Type: text/plain; name=notes.txt\nContent-Disposition: attachment\n\n"
        "my notes\n--b--\n";
    g_autoptr(MimeDraft) f = reply(orig, MIME_FORWARD_INLINE);
    g_assert_cmpuint(f->attachments->len, ==, 2);
    g_assert_nonnull(f->attachment_dir);
    g_autofree char *dir = g_strdup(f->attachment_dir);
    struct stat st;
    g_assert_cmpint(g_stat(dir, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0700);
    g_autofree char *pdf = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(f->attachments->pdata[0], &pdf, &len, NULL));
    g_assert_cmpmem(pdf, len, "%PDF-1.4\n%fake\n", 15);
    g_assert_true(g_str_has_suffix(f->attachments->pdata[1], "/notes.txt"));

    f->to = g_strdup("zed@example.net");
    g_autoptr(GBytes) built = mime_build(f, NULL);
    g_assert_nonnull(built);
    g_autoptr(MimeView) v = mime_view_new(built, NULL, NULL);
    g_assert_cmpuint(v->attachments->len, ==, 2);
    const MimeAttachment *a = v->attachments->pdata[0];
    g_assert_cmpstr(a->name, ==, "report.pdf");
    g_assert_cmpmem(g_bytes_get_data(a->data, NULL), a->size, "%PDF-1.4\n%fake\n", 15);
    a = v->attachments->pdata[1];
    g_assert_cmpstr(a->name, ==, "notes.txt");
    g_assert_cmpmem(g_bytes_get_data(a->data, NULL), a->size, "my notes", 8);

    mime_draft_free(g_steal_pointer(&f));
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));

    /* Nothing attached: no directory. */
    g_autoptr(MimeDraft) plain = reply(original, MIME_FORWARD_INLINE);
    g_assert_null(plain->attachment_dir);
    g_assert_cmpuint(plain->attachments->len, ==, 0);
}

typedef struct {
    const char *in;
    const char *out;
} SubjectCase;

static const SubjectCase subject_cases[] = {
    { "Plans", "Plans" },
    { "Re: Plans", "Plans" },
    { "RE: Re: re:Plans", "Plans" },
    { "Aw: AW: Plans", "Plans" },
    { "Fwd: Fw: FW: Plans", "Plans" },
    { "Re[2]: Plans", "Plans" },
    { "  Re :  Plans ", "Plans" },
    { "Rebus: not a prefix", "Rebus: not a prefix" },
    { "Plans re: later", "Plans re: later" },
    { "", "" },
};

static void
test_subject_prefixes(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(subject_cases); i++) {
        g_autofree char *got = mime_subject_strip_prefixes(subject_cases[i].in);
        g_assert_cmpstr(got, ==, subject_cases[i].out);
    }
    g_autofree char *null = mime_subject_strip_prefixes(NULL);
    g_assert_cmpstr(null, ==, "");
}

/* ---- save and open ------------------------------------------------------- */

static void
test_save(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-save-XXXXXX", NULL);
    MimeAttachment a = { 1, (char *)"../../x\x1b[1m.txt", NULL, (char *)"text/plain", 5,
                         FALSE, FALSE, g_bytes_new("hello", 5) };
    g_autoptr(GError) error = NULL;
    g_autofree char *p1 = mime_attachment_save(&a, dir, &error);
    g_assert_no_error(error);
    g_autofree char *want1 = g_build_filename(dir, "x_[1m.txt", NULL);
    g_assert_cmpstr(p1, ==, want1);
    g_autofree char *p2 = mime_attachment_save(&a, dir, &error);
    g_autofree char *want2 = g_build_filename(dir, "x_[1m (1).txt", NULL);
    g_assert_cmpstr(p2, ==, want2);
    g_autofree char *content = NULL;
    g_assert_true(g_file_get_contents(p2, &content, NULL, NULL));
    g_assert_cmpstr(content, ==, "hello");

    /* A directory that is not there: a clear error naming it. */
    g_autofree char *missing = g_build_filename(dir, "nope", NULL);
    g_assert_null(mime_attachment_save(&a, missing, &error));
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "nope"));
    g_bytes_unref(a.data);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

/* Opening runs the mailcap command on a private copy: the command gets
 * the file as one argument, the file is 0600 in a 0700 directory, and is
 * gone afterwards. */
static void
test_open(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-open-XXXXXX", NULL);
    g_autofree char *log = g_build_filename(dir, "log", NULL);
    g_autofree char *script = write_temp(dir, "viewer",
                                         "#!/bin/sh\n"
                                         "printf '%s\\n' \"$#\" \"$1\" > \"$2\"\n"
                                         "stat -c %a \"$1\" \"$(dirname \"$1\")\" >> \"$2\"\n"
                                         "cat \"$1\"\n");
    g_assert_cmpint(chmod(script, 0700), ==, 0);
    g_autofree char *mc_text = g_strdup_printf("application/x-test; %s %%s %s; copiousoutput; "
                                               "nametemplate=%%s.view\n", script, log);
    g_autofree char *mc = write_temp(dir, "mailcap", mc_text);
    const char *files[] = { mc, NULL };

    MimeAttachment a = { 1, (char *)"$(touch pwned); x.bin", NULL, (char *)"application/x-test",
                         9, FALSE, FALSE, g_bytes_new("content\x1b\n", 9) };
    g_autofree char *out = NULL;
    g_autoptr(GError) error = NULL;
    g_assert_true(mime_attachment_open(&a, files, &out, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(out, ==, "content^[\n");
    g_autofree char *seen = NULL;
    g_assert_true(g_file_get_contents(log, &seen, NULL, NULL));
    char **lines = g_strsplit(seen, "\n", -1);
    g_assert_cmpstr(lines[0], ==, "2");   /* the file, and the log path */
    g_assert_true(g_str_has_suffix(lines[1], "/__touch_pwned___x.bin.view"));
    g_assert_cmpstr(lines[2], ==, "600");
    g_assert_cmpstr(lines[3], ==, "700");
    g_assert_false(g_file_test(lines[1], G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test("pwned", G_FILE_TEST_EXISTS));
    g_strfreev(lines);

    /* No entry for the type. */
    MimeAttachment b = a;
    b.content_type = (char *)"video/none";
    g_clear_error(&error);
    g_assert_false(mime_attachment_open(&b, files, NULL, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND);
    g_bytes_unref(a.data);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

/* A sender-chosen type that GMime passes through, opened with an entry
 * that hands %t to a shell: nothing of it may run. */
static void
test_open_hostile_type(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-open-XXXXXX", NULL);
    g_autofree char *pwned = g_build_filename(dir, "pwned", NULL);
    g_autofree char *msg = g_strdup_printf(
        "From: a@example.org\nSubject: x\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
        "Content-Type: text/plain\n\nhi\n--b\n"
        "Content-Type: application/x`touch${IFS}%s`; charset=\"$(touch${IFS}%s)\"\n"
        "Content-Disposition: attachment; filename=a.bin\n\ndata\n--b--\n",
        pwned, pwned);
    g_autoptr(GBytes) raw = g_bytes_new(msg, strlen(msg));
    g_autoptr(GError) error = NULL;
    g_autoptr(MimeView) v = mime_view_new(raw, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(v->attachments->len, ==, 1);
    const MimeAttachment *a = v->attachments->pdata[0];
    g_assert_nonnull(strchr(a->content_type, '`'));    /* GMime kept it */

    g_autofree char *mc = write_temp(dir, "mailcap",
                                     "application/*; sh -c 'echo %t %{charset} && cat %s'; "
                                     "copiousoutput\n");
    const char *files[] = { mc, NULL };
    g_autofree char *out = NULL;
    gboolean opened = mime_attachment_open(a, files, &out, &error);
    g_assert_false(g_file_test(pwned, G_FILE_TEST_EXISTS));
    g_assert_no_error(error);
    g_assert_true(opened);
    g_assert_cmpstr(out, ==, "application/octet-stream\ndata");
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    mime_init();
    g_test_add_func("/mime/charsets", test_charsets);
    g_test_add_func("/mime/header-fields", test_header_fields);
    g_test_add_func("/mime/flowed", test_flowed);
    g_test_add_func("/mime/html/builtin", test_html_builtin);
    g_test_add_func("/mime/html/converters", test_html_converters);
    g_test_add_func("/mime/uu/scan", test_uu_scan);
    g_test_add_func("/mime/uu/round-trip", test_uu_round_trip);
    g_test_add_func("/mime/uu/stripped-lines", test_uu_stripped_lines);
    g_test_add_func("/mime/tnef", test_tnef);
    g_test_add_func("/mime/mailcap/parse", test_mailcap_parse);
    g_test_add_func("/mime/mailcap/argv", test_mailcap_argv);
    g_test_add_func("/mime/mailcap/hostile", test_mailcap_hostile);
    g_test_add_func("/mime/attachment/open-hostile-type", test_open_hostile_type);
    g_test_add_func("/mime/build/mime", test_build_mime);
    g_test_add_func("/mime/build/uuencode", test_build_uuencode);
    g_test_add_func("/mime/build/errors", test_build_errors);
    g_test_add_func("/mime/build/header-injection", test_build_header_injection);
    g_test_add_func("/mime/reply/reply", test_reply);
    g_test_add_func("/mime/reply/reply-crlf", test_reply_crlf);
    g_test_add_func("/mime/reply/reply-all", test_reply_all);
    g_test_add_func("/mime/reply/forward", test_forward);
    g_test_add_func("/mime/reply/forward-inline-attachments", test_forward_inline_attachments);
    g_test_add_func("/mime/reply/subject", test_subject_prefixes);
    g_test_add_func("/mime/save", test_save);
    g_test_add_func("/mime/open", test_open);
    return g_test_run();
}
