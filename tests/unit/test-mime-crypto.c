/* mime/ crypto pieces that need no keys: the inline PGP scanner (which
 * "-----BEGIN PGP ...-----" blocks in a text/plain body are complete, and
 * where they start and end) and the GMime S/MIME multipart/signed
 * workaround.  Signing, verifying and decrypting with real keys:
 * tests/mime/crypto.sh and tests/ui/crypto*.sh. */
#include <config.h>

#include <string.h>

#include "mime/crypto_private.h"

#define SIGNED "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ntext\n" \
               "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n"
#define MESSAGE "-----BEGIN PGP MESSAGE-----\n\nhQEM\n-----END PGP MESSAGE-----\n"

typedef struct {
    const char *name;
    const char *text;
    guint n;                    /* blocks expected */
    MimePgpKind kind[2];
    gsize start[2], end[2];     /* (gsize)-1: the end of TEXT */
} ScanCase;

#define END_OF_TEXT ((gsize)-1)

static const ScanCase scan_cases[] = {
    { "plain text", "hello\nworld\n", 0, { 0 }, { 0 }, { 0 } },
    { "empty", "", 0, { 0 }, { 0 }, { 0 } },
    { "signed alone", SIGNED, 1, { MIME_PGP_SIGNED }, { 0 }, { END_OF_TEXT } },
    { "message alone", MESSAGE, 1, { MIME_PGP_MESSAGE }, { 0 }, { END_OF_TEXT } },
    { "text around", "before\n" MESSAGE "after\n", 1, { MIME_PGP_MESSAGE }, { 7 },
      { 7 + sizeof MESSAGE - 1 } },
    { "two blocks", SIGNED MESSAGE, 2, { MIME_PGP_SIGNED, MIME_PGP_MESSAGE },
      { 0, sizeof SIGNED - 1 }, { sizeof SIGNED - 1, END_OF_TEXT } },
    { "CRLF and trailing blanks",
      "-----BEGIN PGP MESSAGE----- \r\n\r\nhQEM\r\n-----END PGP MESSAGE-----\t\r\n", 1,
      { MIME_PGP_MESSAGE }, { 0 }, { END_OF_TEXT } },
    { "no newline at the end", "-----BEGIN PGP MESSAGE-----\nx\n-----END PGP MESSAGE-----", 1,
      { MIME_PGP_MESSAGE }, { 0 }, { END_OF_TEXT } },
    { "no END line", "-----BEGIN PGP MESSAGE-----\nhQEM\n", 0, { 0 }, { 0 }, { 0 } },
    { "signed without signature", "-----BEGIN PGP SIGNED MESSAGE-----\ntext\n", 0, { 0 }, { 0 }, { 0 } },
    { "signature without END",
      "-----BEGIN PGP SIGNED MESSAGE-----\nt\n-----BEGIN PGP SIGNATURE-----\nAA\n", 0,
      { 0 }, { 0 }, { 0 } },
    { "marker not at line start", "quoted: -----BEGIN PGP MESSAGE-----\nx\n-----END PGP MESSAGE-----\n",
      0, { 0 }, { 0 }, { 0 } },
    { "quoted block", "> -----BEGIN PGP MESSAGE-----\n> x\n> -----END PGP MESSAGE-----\n",
      0, { 0 }, { 0 }, { 0 } },
    { "text after the marker", "-----BEGIN PGP MESSAGE----- please\nx\n-----END PGP MESSAGE-----\n",
      0, { 0 }, { 0 }, { 0 } },
    { "dash-escaped BEGIN inside signed",
      "-----BEGIN PGP SIGNED MESSAGE-----\n\n- -----BEGIN PGP MESSAGE-----\n"
      "-----BEGIN PGP SIGNATURE-----\nA\n-----END PGP SIGNATURE-----\n",
      1, { MIME_PGP_SIGNED }, { 0 }, { END_OF_TEXT } },
    { "unterminated then complete",
      "-----BEGIN PGP MESSAGE-----\n-----BEGIN PGP MESSAGE-----\nx\n-----END PGP MESSAGE-----\n",
      1, { MIME_PGP_MESSAGE }, { 0 }, { END_OF_TEXT } },
    { "END before BEGIN", "-----END PGP MESSAGE-----\n-----BEGIN PGP MESSAGE-----\n", 0,
      { 0 }, { 0 }, { 0 } },
};

static void
test_scan(gconstpointer data)
{
    const ScanCase *c = data;
    gsize len = strlen(c->text);
    GArray *blocks = mime_pgp_scan(c->text, len);
    g_assert_cmpuint(blocks->len, ==, c->n);
    for (guint i = 0; i < c->n; i++) {
        const MimePgpBlock *b = &g_array_index(blocks, MimePgpBlock, i);
        g_assert_cmpint(b->kind, ==, c->kind[i]);
        g_assert_cmpuint(b->start, ==, c->start[i]);
        g_assert_cmpuint(b->end, ==, c->end[i] == END_OF_TEXT ? len : c->end[i]);
    }
    g_array_unref(blocks);
}

/* Many BEGIN lines without an END must not take quadratic time; this
 * finishes at once when the scanner stays linear. */
static void
test_scan_many_begins(void)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 200000; i++)
        g_string_append(s, "-----BEGIN PGP MESSAGE-----\n-----BEGIN PGP SIGNED MESSAGE-----\n");
    GArray *blocks = mime_pgp_scan(s->str, s->len);
    g_assert_cmpuint(blocks->len, ==, 0);
    g_array_unref(blocks);
    g_string_free(s, TRUE);
}

/* GMime 3.2.13 writes micalg=sha256 and names the part smime.p7m. */
static void
test_smime_fix(void)
{
    mime_init();
    static const char msg[] =
        "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\n"
        " micalg=sha256; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nhi\n"
        "--b\nContent-Type: application/pkcs7-signature; name=smime.p7m\n"
        "Content-Disposition: attachment; filename=smime.p7m\nContent-Transfer-Encoding: base64\n\nAAAA\n"
        "--b--\n";
    g_autoptr(GBytes) raw = g_bytes_new_static(msg, sizeof msg - 1);
    GMimeMessage *m = mime_parse(raw, NULL);
    g_assert_nonnull(m);
    GMimeObject *mps = g_mime_message_get_mime_part(m);
    g_assert_true(GMIME_IS_MULTIPART_SIGNED(mps));
    mime_crypto_fix_smime_signed(mps);
    g_assert_cmpstr(g_mime_object_get_content_type_parameter(mps, "micalg"), ==, "sha-256");
    GMimeObject *sig = g_mime_multipart_get_part(GMIME_MULTIPART(mps), 1);
    g_assert_cmpstr(g_mime_part_get_filename(GMIME_PART(sig)), ==, "smime.p7s");
    g_assert_cmpstr(g_mime_object_get_content_type_parameter(sig, "name"), ==, "smime.p7s");
    /* Already right: left alone. */
    g_mime_object_set_content_type_parameter(mps, "micalg", "sha-512");
    mime_crypto_fix_smime_signed(mps);
    g_assert_cmpstr(g_mime_object_get_content_type_parameter(mps, "micalg"), ==, "sha-512");
    g_object_unref(m);
}

/* GMime 3.2.13 crashes decrypting a multipart/encrypted without its two
 * leaf parts; the viewer refuses such a part before GMime sees it. */
static void
test_encrypted_malformed(void)
{
    static const char *const bodies[] = {
        "--b--\n",
        "--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--b--\n",
        "--b\nContent-Type: multipart/mixed; boundary=c\n\n--c--\n"
        "--b\nContent-Type: application/octet-stream\n\nx\n--b--\n",
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bodies); i++) {
        g_autofree char *msg = g_strconcat(
            "From: a@example.org\nSubject: x\nContent-Type: multipart/encrypted; "
            "protocol=\"application/pgp-encrypted\"; boundary=\"b\"\n\n", bodies[i], NULL);
        g_autoptr(GBytes) raw = g_bytes_new(msg, strlen(msg));
        g_autoptr(GError) error = NULL;
        g_autoptr(MimeView) view = mime_view_new(raw, NULL, &error);
        g_assert_no_error(error);
        g_autofree char *text = mime_view_to_text(view);
        g_assert_nonnull(strstr(text, "[-- Encrypted message (OpenPGP): could not decrypt: "
                                      "malformed: it needs a version part and an encrypted part --]"));
    }
}

/* A headers-only notice put above the body keeps each status line's kind
 * (its colour on the screen) on that line. */
static void
test_headers_only_keeps_kinds(void)
{
    static const char msg[] =
        "From: a@example.org\nSubject: x\nX-Postie-Partial: yes\n"
        "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; "
        "boundary=\"b\"\n\n--b--\n";
    g_autoptr(GBytes) raw = g_bytes_new_static(msg, sizeof msg - 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(MimeView) v = mime_view_new(raw, NULL, &error);
    g_assert_no_error(error);
    g_assert_true(v->headers_only);
    guint status = G_MAXUINT;
    for (guint i = 0; i < v->lines->len && status == G_MAXUINT; i++)
        if (strstr(v->lines->pdata[i], "could not decrypt"))
            status = i;
    g_assert_cmpuint(status, !=, G_MAXUINT);
    g_assert_cmpint(mime_view_line_kind(v, status), ==, MIME_LINE_CRYPTO_BAD);
    mime_view_note_headers_only(v, "how");
    g_assert_nonnull(strstr(v->lines->pdata[0], "still on the server"));
    g_assert_cmpint(mime_view_line_kind(v, 0), ==, MIME_LINE_TEXT);
    g_assert_nonnull(strstr(v->lines->pdata[status + 2], "could not decrypt"));
    g_assert_cmpint(mime_view_line_kind(v, status + 2), ==, MIME_LINE_CRYPTO_BAD);
    g_assert_cmpuint(v->line_kinds->len, ==, v->lines->len);
}

/* A signed part in the alternative not shown: its attachment is listed
 * (every part reachable), its signature is not a file. */
static void
test_signed_hidden_alternative(void)
{
    static const char msg[] =
        "From: a@example.org\nSubject: x\nContent-Type: multipart/alternative; boundary=a\n\n"
        "--a\nContent-Type: text/plain\n\nplain text\n"
        "--a\nContent-Type: multipart/signed; protocol=\"application/pgp-signature\"; "
        "micalg=pgp-sha256; boundary=s\n\n"
        "--s\nContent-Type: multipart/mixed; boundary=m\n\n"
        "--m\nContent-Type: text/html\n\n<p>rich</p>\n"
        "--m\nContent-Type: application/pdf; name=invite.pdf\n"
        "Content-Disposition: attachment; filename=invite.pdf\n\n%PDF\n"
        "--m--\n"
        "--s\nContent-Type: application/pgp-signature; name=signature.asc\n\n"
        "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n"
        "--s--\n"
        "--a--\n";
    g_autoptr(GBytes) raw = g_bytes_new_static(msg, sizeof msg - 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(MimeView) v = mime_view_new(raw, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(v->attachments->len, ==, 1);
    const MimeAttachment *a = v->attachments->pdata[0];
    g_assert_cmpstr(a->name, ==, "invite.pdf");
    g_assert_nonnull(strstr(v->body_text, "plain text"));
    g_assert_null(strstr(v->body_text, "rich"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(scan_cases); i++) {
        g_autofree char *path = g_strdup_printf("/pgp-scan/%s", scan_cases[i].name);
        g_test_add_data_func(path, &scan_cases[i], test_scan);
    }
    g_test_add_func("/pgp-scan/many-begins", test_scan_many_begins);
    g_test_add_func("/smime/gmime-signed-fix", test_smime_fix);
    g_test_add_func("/pgp-mime/gmime-encrypted-malformed", test_encrypted_malformed);
    g_test_add_func("/view/headers-only-keeps-line-kinds", test_headers_only_keeps_kinds);
    g_test_add_func("/view/signed-in-hidden-alternative", test_signed_hidden_alternative);
    return g_test_run();
}
