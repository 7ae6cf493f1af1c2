/* libFuzzer target for what send/ does with a message from outside: the
 * header block (get, drop, copies for the wire and for Sent), CRLF both
 * ways, the envelope from To/Cc/Bcc and our fields, the 7-bit variant;
 * the SMTP relay's view of the dialogue (the input cut into pieces
 * for either side: replies from a hostile server); and the replies postie
 * reads itself before libesmtp comes (EHLO keywords, AUTH challenges,
 * OAuth's JSON error). */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include <gmime/gmime.h>

#include "send/private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gboolean init;
    if (!init) {
        g_mime_init();
        init = TRUE;
    }
    const char *d = (const char *)data;
    static const char *const names[] = { "To", "Cc", "Bcc", "Subject",
                                         HDR_ENVELOPE_TO, HDR_DELIVERED_TO, NULL };
    for (int i = 0; names[i]; i++)
        g_free(send_header_get(d, size, names[i]));
    GString *w = send_copy_for_wire(d, size);
    GString *s = send_copy_for_sent(d, size);
    g_assert(w->len <= size && s->len <= size);
    g_assert(!send_header_has(w->str, w->len, "Bcc"));
    GString *c = send_to_crlf(w->str, w->len);
    send_lf_normalize(c);
    Account a = { 0 };
    a.id = (char *)"fuzz";
    a.address = (char *)"me@example.org";
    char *from = NULL;
    GPtrArray *rcpts = NULL;
    if (send_envelope_of(&a, d, size, &from, &rcpts, NULL)) {
        for (guint i = 0; i < rcpts->len; i++)
            g_assert(!strpbrk(rcpts->pdata[i], "\r\n <>"));
        g_free(from);
        g_ptr_array_unref(rcpts);
    }
    GString *eh = send_encode_headers(w->str, w->len);
    if (eh)
        g_string_free(eh, TRUE);
    if (send_has_8bit(w->str, w->len)) {
        GString *e = send_encode_7bit(w->str, w->len);
        if (e)
            g_string_free(e, TRUE);
    }
    g_string_free(c, TRUE);
    g_string_free(w, TRUE);
    g_string_free(s, TRUE);

    /* The input as reply lines, read as postie's relay-connect.c does. */
    SmtpReply reply = { 0 };
    const char *p = d, *end = d + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        gsize n = nl ? (gsize)(nl - p) : (gsize)(end - p);
        int k = smtp_reply_add_line(&reply, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n,
                                    "fuzz", NULL);
        if (k < 0)
            break;
        if (k > 0) {
            g_autofree char *auth = smtp_ehlo_auth(&reply);
            g_autofree char *client = smtp_ehlo_for_client(&reply);
            g_autofree char *text = smtp_reply_text(&reply);
            g_autofree char *status = sasl_oauth_error(smtp_reply_last(&reply));
            g_assert(client && text);
            (void)smtp_mech_pick(0x3e, auth);
            (void)smtp_ehlo_has(&reply, "STARTTLS");
        }
        p += n + (nl ? 1 : 0);
    }
    smtp_reply_clear(&reply);

    RelayWatch *rw = relay_watch_new("TOK", "250-host\r\n250 8BITMIME\r\n");
    gboolean ok = relay_watch_client(rw, "EHLO TOK\r\n", 10);
    for (size_t i = 0; ok && i < size;) {
        size_t n = MIN((size_t)(data[i] & 0x7f), size - i - 1);
        const char *piece = d + i + 1;
        ok = data[i] & 0x80 ? relay_watch_server(rw, piece, n)
                            : relay_watch_client(rw, piece, n);
        i += n + 1;
        g_string_truncate(relay_watch_to_server(rw), 0);
        g_string_truncate(relay_watch_to_client(rw), 0);
    }
    for (guint i = 0; i < relay_watch_txns(rw)->len; i++) {
        RelayTxn *t = relay_watch_txns(rw)->pdata[i];
        g_assert(!t->final_seen || t->final_code);
    }
    relay_watch_free(rw);
    return 0;
}
