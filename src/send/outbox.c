/* The Outbox: every message waits here (fsynced) until a server took it.
 *
 * A flush, per account: read the account's messages, one SMTP session for
 * all, then (1) append the accepted ones to Sent and fsync, (2) append
 * the failed ones again with the reply recorded and fsync, (3) expunge
 * the originals of both from the Outbox (temp + fsync + rename).  A crash
 * before (3) leaves an accepted message in the Outbox too: it is sent once
 * more next time, but never lost.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "mime/header.h"
#include "send/private.h"
#include "store/store.h"
#include "util/util.h"

void
send_result_free(SendResult *r)
{
    if (!r)
        return;
    g_free(r->account);
    g_free(r->message_id);
    g_free(r->subject);
    g_free(r->error);
    if (r->recipients)
        g_ptr_array_unref(r->recipients);
    g_free(r);
}

/* ---- queueing ---------------------------------------------------------- */

static char *
outbox_path(PostieConfig *cfg, GError **error)
{
    if (!store_ensure_default_folders(cfg->mail_dir, error))
        return NULL;
    return store_path_for(cfg->mail_dir, STORE_OUTBOX, error);
}

gboolean
send_queue(PostieConfig *cfg, const char *data, gsize len,
           const SendQueueOptions *options, char **account_out,
           char **message_id_out, GError **error)
{
    Account *a = NULL;
    g_autoptr(GString) msg = send_prepare_queued(cfg, data, len, options, &a, error);
    if (!msg)
        return FALSE;
    g_autofree char *path = outbox_path(cfg, error);
    if (!path || !store_append(path, msg->str, msg->len, MSG_READ, error))
        return FALSE;
    if (account_out)
        *account_out = g_strdup(a->id);
    if (message_id_out)
        *message_id_out = send_header_get(msg->str, msg->len, "Message-ID");
    return TRUE;
}

/* ---- recorded state ---------------------------------------------------- */

char *
send_message_error(const char *data, gsize len)
{
    g_autofree char *status = send_header_get(data, len, HDR_SEND_STATUS);
    g_autofree char *err = send_header_get(data, len, HDR_SEND_ERROR);
    if (!err)
        return NULL;
    g_autofree char *s = g_strdup_printf("%s: %s", status ? status : "failed", err);
    return term_safe(s, -1, TERM_SAFE_DEFAULT);
}

guint
send_message_attempts(const char *data, gsize len)
{
    g_autofree char *v = send_header_get(data, len, HDR_SEND_ATTEMPTS);
    guint64 n = v ? g_ascii_strtoull(v, NULL, 10) : 0;
    return (guint)MIN(n, 1000000);
}

static gboolean
is_permanent(const char *data, gsize len)
{
    g_autofree char *st = send_header_get(data, len, HDR_SEND_STATUS);
    return st && !g_ascii_strcasecmp(st, "permanent");
}

/* One line for a header field: no line breaks, bounded length. */
static char *
one_line(const char *text)
{
    GString *s = g_string_new(NULL);
    for (const char *p = text; *p && s->len < 900; p++)
        g_string_append_c(s, (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p);
    return g_string_free(s, FALSE);
}

/* The Outbox copy again, with this attempt's outcome recorded. */
static GString *
recorded_copy(const char *data, gsize len, const SendResult *r,
              GPtrArray *delivered_now)
{
    static const char *const old[] = {
        HDR_SEND_ERROR, HDR_SEND_STATUS, HDR_SEND_ATTEMPTS, HDR_DELIVERED_TO, NULL,
    };
    g_autofree char *prev_delivered = send_header_get(data, len, HDR_DELIVERED_TO);
    guint attempts = send_message_attempts(data, len) + 1;
    /* Keep our own fields at the top: X-Postie-* minus the replaced ones. */
    GString *out = g_string_new(NULL);
    g_autofree char *err = one_line(r->error ? r->error : "?");
    g_string_append_printf(out, HDR_SEND_STATUS ": %s\n",
                           r->status == SEND_STATUS_PERMANENT ? "permanent" : "temporary");
    g_string_append_printf(out, HDR_SEND_ATTEMPTS ": %u\n", attempts);
    g_string_append_printf(out, HDR_SEND_ERROR ": %s\n", err);
    if ((prev_delivered && *prev_delivered) || (delivered_now && delivered_now->len)) {
        g_string_append(out, HDR_DELIVERED_TO ": ");
        gboolean first = TRUE;
        if (prev_delivered && *prev_delivered) {
            g_string_append(out, prev_delivered);
            first = FALSE;
        }
        for (guint i = 0; delivered_now && i < delivered_now->len; i++) {
            g_string_append_printf(out, "%s%s", first ? "" : ",\n ",
                                   (char *)delivered_now->pdata[i]);
            first = FALSE;
        }
        g_string_append_c(out, '\n');
    }
    g_autoptr(GString) rest = send_header_remove(data, len, old, FALSE);
    g_string_append_len(out, rest->str, (gssize)rest->len);
    return out;
}

/* ---- judging one message ---------------------------------------------- */

static gboolean
code_ok(int c)
{
    return c >= 200 && c < 300;
}

static void
add_reply(GString *s, int code, const char *text)
{
    if (code)
        g_string_append_printf(s, " (%d %s)", code, text ? text : "");
}

static SendResult *
judge(const Account *a, SessionMessage *m, const GError *session_error,
      GPtrArray **delivered_out)
{
    SendResult *r = g_new0(SendResult, 1);
    r->account = g_strdup(a->id);
    r->recipients = g_ptr_array_ref(m->rcpt_results);
    const char *host = a->smtp.host;
    g_autoptr(GPtrArray) accepted = g_ptr_array_new();
    GString *rej = g_string_new(NULL);
    gboolean any_temp = FALSE, any_perm = FALSE;
    for (guint i = 0; i < m->rcpt_results->len; i++) {
        SendRecipientResult *rr = m->rcpt_results->pdata[i];
        if (code_ok(rr->code)) {
            g_ptr_array_add(accepted, rr->address);
            continue;
        }
        if (rr->code >= 500)
            any_perm = TRUE;
        else
            any_temp = TRUE;
        if (rr->code)
            g_string_append_printf(rej, "%s%s: %d %s", rej->len ? "; " : "",
                                   rr->address, rr->code, rr->reply ? rr->reply : "");
    }

    GString *e = g_string_new(NULL);
    if (code_ok(m->data_code) && accepted->len > 0) {
        if (!any_temp && !any_perm) {
            r->status = SEND_STATUS_SENT;
        } else {
            /* Partly delivered: remember who has it, retry only the rest. */
            r->status = any_temp ? SEND_STATUS_TEMPORARY : SEND_STATUS_PERMANENT;
            g_string_append_printf(e, _("%s refused some recipients: %s; delivered to the others"),
                                   host, rej->str);
            GPtrArray *d = g_ptr_array_new_with_free_func(g_free);
            for (guint i = 0; i < accepted->len; i++)
                g_ptr_array_add(d, g_strdup(accepted->pdata[i]));
            *delivered_out = d;
        }
    } else if (session_error && m->mail_code == 0) {
        r->status = SEND_STATUS_TEMPORARY;
        g_string_append(e, session_error->message);
    } else if (m->mail_code == 0) {
        r->status = SEND_STATUS_TEMPORARY;
        g_string_append_printf(e, _("the session with %s ended before this message"), host);
    } else if (!code_ok(m->mail_code)) {
        r->status = m->mail_code >= 500 ? SEND_STATUS_PERMANENT : SEND_STATUS_TEMPORARY;
        if (m->mail_code == 530)
            g_string_append_printf(e, _("%s requires authentication (set a password "
                                        "for account %s)"), host, a->id);
        else
            g_string_append_printf(e, _("%s refused the sender %s"), host, m->reverse_path);
        add_reply(e, m->mail_code, m->mail_text);
        if (m->mail_code == 530)
            r->status = SEND_STATUS_TEMPORARY;
    } else if (accepted->len == 0) {
        r->status = any_temp ? SEND_STATUS_TEMPORARY : SEND_STATUS_PERMANENT;
        g_string_append_printf(e, _("%s refused every recipient: %s"), host, rej->str);
    } else if (m->data_code == 0) {
        r->status = SEND_STATUS_TEMPORARY;
        g_string_append_printf(e, _("the connection to %s ended before it confirmed the "
                                    "message; it will be sent again (perhaps twice)"), host);
        if (session_error)
            g_string_append_printf(e, ": %s", session_error->message);
    } else {
        r->status = m->data_code >= 500 ? SEND_STATUS_PERMANENT : SEND_STATUS_TEMPORARY;
        g_string_append_printf(e, _("%s did not take the message"), host);
        add_reply(e, m->data_code, m->data_text);
    }
    g_string_free(rej, TRUE);
    if (r->status != SEND_STATUS_SENT)
        r->error = g_string_free(e, FALSE);
    else
        g_string_free(e, TRUE);
    return r;
}

/* ---- flushing ---------------------------------------------------------- */

typedef struct {
    guint index;              /* in the Outbox */
    GBytes *bytes;
    Account *account;
    SessionMessage *sm;       /* NULL when not sent this time */
    SendResult *result;
    GString *to_sent;         /* copy for Sent */
    GString *to_outbox;       /* rewritten copy for the Outbox */
    gboolean remove;          /* expunge the original */
} Item;

static void
item_free(gpointer p)
{
    Item *it = p;
    g_bytes_unref(it->bytes);
    session_message_free(it->sm);
    send_result_free(it->result);
    if (it->to_sent)
        g_string_free(it->to_sent, TRUE);
    if (it->to_outbox)
        g_string_free(it->to_outbox, TRUE);
    g_free(it);
}

typedef struct {
    const SendCallbacks *cb;
    gpointer data;
    const char *account;
    SendJournal *journal;
} Progress;

static void
on_progress(guint done, guint total, gpointer data)
{
    Progress *p = data;
    if (p->cb && p->cb->progress)
        p->cb->progress(p->account, done, total, p->data);
}

/* Written down the moment the server accepted it (relay thread): a
 * flush killed before commit() then files it in Sent instead of sending
 * it again. */
static gboolean
on_accepted(SessionMessage *m, gpointer data, GError **error)
{
    Progress *p = data;
    if (!p->journal || !m->journal_key)
        return TRUE;
    if (!send_journal_add(p->journal, m->journal_key, error)) {
        g_prefix_error(error, _("cannot record what was sent: "));
        return FALSE;
    }
    return TRUE;
}

static gboolean
prepare_wire(SessionMessage *sm, const char *data, gsize len)
{
    g_autoptr(GString) wire = send_copy_for_wire(data, len);
    /* Raw 8-bit header fields go RFC 2047 encoded to every server: none
     * gets SMTPUTF8 from libesmtp. */
    GString *enc = send_encode_headers(wire->str, wire->len);
    if (enc) {
        g_string_free(wire, TRUE);
        wire = enc;
    }
    sm->wire8 = send_to_crlf(wire->str, wire->len);
    if (send_has_8bit(wire->str, wire->len)) {
        g_autoptr(GString) w7 = send_encode_7bit(wire->str, wire->len);
        sm->wire7 = w7 ? send_to_crlf(w7->str, w7->len)
                       : g_string_new_len(sm->wire8->str, (gssize)sm->wire8->len);
    }
    return TRUE;
}

static char *
subject_of(const char *data, gsize len)
{
    g_autofree char *raw = send_header_get(data, len, "Subject");
    if (!raw)
        return NULL;
    g_autofree char *dec = mime_header_decode_text(raw);
    return term_safe(dec ? dec : raw, -1, TERM_SAFE_DEFAULT);
}

/* Deliver the items of one account; fill results and copies. */
static gboolean
flush_account(Account *a, GPtrArray *items, const SendCallbacks *cb,
              gpointer data, SendJournal *journal, GCancellable *cancellable,
              GError **error)
{
    g_autoptr(GPtrArray) msgs = g_ptr_array_new();
    for (guint i = 0; i < items->len; i++) {
        Item *it = items->pdata[i];
        gsize len;
        const char *d = g_bytes_get_data(it->bytes, &len);
        g_autoptr(GError) e = NULL;
        char *from = NULL;
        GPtrArray *rcpts = NULL;
        if (!send_envelope_of(a, d, len, &from, &rcpts, &e)) {
            it->result = g_new0(SendResult, 1);
            it->result->account = g_strdup(a->id);
            it->result->status = SEND_STATUS_PERMANENT;
            it->result->error = g_strdup(e->message);
            it->result->recipients = g_ptr_array_new();
            continue;
        }
        it->sm = g_new0(SessionMessage, 1);
        it->sm->reverse_path = from;
        it->sm->rcpts = rcpts;
        it->sm->journal_key = send_journal_key(d, len);
        prepare_wire(it->sm, d, len);
        g_ptr_array_add(msgs, it->sm);
    }
    if (cb && cb->account_started)
        cb->account_started(a->id, msgs->len, data);

    GError *session_error = NULL;
    if (msgs->len > 0) {
        Progress p = { cb, data, a->id, journal };
        session_run(a, msgs, on_progress, on_accepted, &p, cancellable,
                    &session_error);
    }

    guint sent = 0, failed = 0;
    for (guint i = 0; i < items->len; i++) {
        Item *it = items->pdata[i];
        gsize len;
        const char *d = g_bytes_get_data(it->bytes, &len);
        GPtrArray *delivered = NULL;
        if (it->sm) {
            if (!it->sm->rcpt_results)
                it->sm->rcpt_results = g_ptr_array_new();
            it->result = judge(a, it->sm, session_error, &delivered);
        }
        g_free(it->result->message_id);
        it->result->message_id = send_header_get(d, len, "Message-ID");
        it->result->subject = subject_of(d, len);
        if (it->result->status == SEND_STATUS_SENT) {
            it->to_sent = send_copy_for_sent(d, len);
            sent++;
        } else {
            it->to_outbox = recorded_copy(d, len, it->result, delivered);
            failed++;
        }
        it->remove = TRUE;
        if (delivered)
            g_ptr_array_unref(delivered);
        if (cb && cb->message_done)
            cb->message_done(it->result, i, items->len, data);
    }
    if (cb && cb->account_finished)
        cb->account_finished(a->id, sent, failed, session_error, data);
    if (session_error) {
        g_propagate_error(error, session_error);
        return FALSE;
    }
    return TRUE;
}

/* Write what a flush of one account decided: Sent, then the Outbox. */
static gboolean
commit(PostieConfig *cfg, StoreFolder *outbox, Account *a, GPtrArray *items,
       GError **error)
{
    g_autofree char *sent_path = store_path_for(cfg->mail_dir,
                                                a->sent_folder ? a->sent_folder : STORE_SENT,
                                                error);
    if (!sent_path)
        return FALSE;
    StoreAppender *ap = NULL;
    for (guint i = 0; i < items->len; i++) {
        Item *it = items->pdata[i];
        if (!it->to_sent)
            continue;
        if (!ap && !(ap = store_appender_open(sent_path, error)))
            return FALSE;
        if (!store_appender_add(ap, it->to_sent->str, it->to_sent->len, MSG_READ, error)) {
            store_appender_abort(ap);
            return FALSE;
        }
    }
    if (ap && !store_appender_close(ap, error))
        return FALSE;
    ap = NULL;
    for (guint i = 0; i < items->len; i++) {
        Item *it = items->pdata[i];
        if (!it->to_outbox)
            continue;
        if (!ap && !(ap = store_appender_open(store_folder_path(outbox), error)))
            return FALSE;
        if (!store_appender_add(ap, it->to_outbox->str, it->to_outbox->len, MSG_READ, error)) {
            store_appender_abort(ap);
            return FALSE;
        }
    }
    if (ap && !store_appender_close(ap, error))
        return FALSE;
    gboolean any = FALSE;
    for (guint i = 0; i < items->len; i++) {
        Item *it = items->pdata[i];
        if (!it->remove)
            continue;
        const StoreMessage *sm = store_folder_get(outbox, it->index);
        if (!sm)
            continue;
        store_folder_set_flags(outbox, it->index, sm->flags | MSG_DELETED);
        any = TRUE;
    }
    return !any || store_folder_sync(outbox, TRUE, NULL, error);
}

/* One flush at a time: two would send the same messages. */
static int
take_lock(GError **error)
{
    g_autofree char *dir = paths_state_dir();
    if (!paths_ensure_dir(dir, 0700, error))
        return -1;
    g_autofree char *path = g_build_filename(dir, "send.lock", NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        postie_set_error_errno(error, errno, "open", path);
        return -1;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            postie_set_error_errno(error, errno, "lock", path);
            close(fd);
            return -1;
        }
    }
    return fd;
}

static Account *
account_of(PostieConfig *cfg, const char *d, gsize len)
{
    g_autofree char *id = send_header_get(d, len, HDR_ACCOUNT);
    Account *a = id ? conf_find_account(cfg, id) : NULL;
    if (a && a->smtp.host)
        return a;
    return send_pick_account(cfg, d, len, NULL, NULL);
}

/* Message-IDs of a folder (lower case), or an empty set. */
static GHashTable *
message_ids_in(const char *path)
{
    GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    StoreFolder *f = g_file_test(path, G_FILE_TEST_EXISTS) ? store_folder_open(path, NULL)
                                                          : NULL;
    for (guint i = 0; f && i < store_folder_count(f); i++) {
        GBytes *b = store_folder_read(f, i, NULL);
        if (!b)
            continue;
        gsize len;
        const char *d = g_bytes_get_data(b, &len);
        char *id = send_header_get(d, len, "Message-ID");
        if (id)
            g_hash_table_add(ids, g_ascii_strdown(id, -1));
        g_free(id);
        g_bytes_unref(b);
    }
    if (f)
        store_folder_close(f);
    return ids;
}

/* The last flush was killed after the server had accepted the messages in
 * the journal but before it saved its results: file them in Sent now
 * (unless a copy got there already) and take them out of the Outbox,
 * without sending them again. */
static gboolean
recover(PostieConfig *cfg, StoreFolder *outbox, SendJournal *journal,
        const SendCallbacks *cb, gpointer data, guint *sent, GError **error)
{
    g_autoptr(GHashTable) keys = send_journal_read(journal, error);
    if (!keys)
        return FALSE;
    if (g_hash_table_size(keys) == 0)
        return TRUE;
    for (guint ai = 0; ai < cfg->accounts->len; ai++) {
        Account *a = cfg->accounts->pdata[ai];
        g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(item_free);
        g_autoptr(GHashTable) in_sent = NULL;
        for (guint i = 0; i < store_folder_count(outbox); i++) {
            const StoreMessage *sm = store_folder_get(outbox, i);
            if (!sm || (sm->flags & MSG_DELETED))
                continue;
            GBytes *b = store_folder_read(outbox, i, NULL);
            if (!b)
                continue;
            gsize len;
            const char *d = g_bytes_get_data(b, &len);
            g_autofree char *key = send_journal_key(d, len);
            guint n = GPOINTER_TO_UINT(g_hash_table_lookup(keys, key));
            if (n == 0 || account_of(cfg, d, len) != a) {
                g_bytes_unref(b);
                continue;
            }
            g_hash_table_insert(keys, g_strdup(key), GUINT_TO_POINTER(n - 1));
            if (!in_sent) {
                g_autofree char *sp = store_path_for(cfg->mail_dir,
                                                     a->sent_folder ? a->sent_folder : STORE_SENT,
                                                     NULL);
                in_sent = sp ? message_ids_in(sp)
                             : g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            }
            Item *it = g_new0(Item, 1);
            it->index = i;
            it->bytes = b;
            it->account = a;
            it->remove = TRUE;
            it->result = g_new0(SendResult, 1);
            it->result->account = g_strdup(a->id);
            it->result->status = SEND_STATUS_SENT;
            it->result->recipients = g_ptr_array_new();
            it->result->message_id = send_header_get(d, len, "Message-ID");
            it->result->subject = subject_of(d, len);
            g_autofree char *lid = it->result->message_id
                                       ? g_ascii_strdown(it->result->message_id, -1) : NULL;
            if (!lid || !g_hash_table_contains(in_sent, lid))
                it->to_sent = send_copy_for_sent(d, len);
            g_ptr_array_add(items, it);
        }
        if (items->len == 0)
            continue;
        if (!commit(cfg, outbox, a, items, error)) {
            g_prefix_error(error, _("the messages sent before an interruption "
                                    "could not be filed in Sent: "));
            return FALSE;
        }
        for (guint i = 0; i < items->len; i++) {
            Item *it = items->pdata[i];
            (*sent)++;
            if (cb && cb->message_done)
                cb->message_done(it->result, i, items->len, data);
        }
    }
    return send_journal_clear(journal, error);
}

gboolean
send_flush(PostieConfig *cfg, const char *account, SendFlushFlags flags,
           const SendCallbacks *cb, gpointer data, GCancellable *cancellable,
           guint *sent_out, guint *failed_out, GError **error)
{
    Account *only = NULL;
    if (account) {
        only = conf_find_account(cfg, account);
        if (!only) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                        _("no account named \"%s\" in %s"), account,
                        cfg->path ? cfg->path : "the configuration");
            return FALSE;
        }
        if (!only->smtp.host) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                        _("account %s has no smtp_host, so it cannot send"), only->id);
            return FALSE;
        }
    }
    g_autofree char *path = outbox_path(cfg, error);
    if (!path)
        return FALSE;
    int lock = take_lock(error);
    if (lock < 0)
        return FALSE;

    gboolean ok = TRUE;
    guint sent = 0, failed = 0, permanent = 0;
    GError *first = NULL;
    SendJournal *journal = send_journal_open(error);
    if (!journal) {
        close(lock);
        return FALSE;
    }
    StoreFolder *f = store_folder_open(path, error);
    if (!f || !recover(cfg, f, journal, cb, data, &sent, error)) {
        if (f)
            store_folder_close(f);
        send_journal_close(journal);
        close(lock);
        return FALSE;
    }
    /* Per account, in configuration order. */
    for (guint ai = 0; ai < cfg->accounts->len; ai++) {
        Account *a = cfg->accounts->pdata[ai];
        if (only && a != only)
            continue;
        if (g_cancellable_is_cancelled(cancellable)) {
            if (!first)
                g_set_error(&first, POSTIE_ERROR, POSTIE_ERROR_CANCELLED,
                            _("sending was cancelled"));
            break;
        }
        g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(item_free);
        g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func(item_free);
        guint n = store_folder_count(f);
        for (guint i = 0; i < n; i++) {
            const StoreMessage *sm = store_folder_get(f, i);
            if (!sm || (sm->flags & MSG_DELETED))
                continue;
            g_autoptr(GError) e = NULL;
            GBytes *b = store_folder_read(f, i, &e);
            if (!b) {
                if (!first)
                    first = g_steal_pointer(&e);
                continue;
            }
            gsize len;
            const char *d = g_bytes_get_data(b, &len);
            if (account_of(cfg, d, len) != a) {
                g_bytes_unref(b);
                continue;
            }
            Item *it = g_new0(Item, 1);
            it->index = i;
            it->bytes = b;
            it->account = a;
            if (is_permanent(d, len) && !(flags & SEND_FLUSH_RETRY_FAILED))
                g_ptr_array_add(skipped, it);
            else
                g_ptr_array_add(items, it);
        }
        for (guint i = 0; i < skipped->len; i++) {
            Item *it = skipped->pdata[i];
            gsize len;
            const char *d = g_bytes_get_data(it->bytes, &len);
            SendResult r = { 0 };
            r.account = a->id;
            r.status = SEND_STATUS_SKIPPED;
            r.message_id = send_header_get(d, len, "Message-ID");
            r.subject = subject_of(d, len);
            r.error = send_message_error(d, len);
            r.recipients = g_ptr_array_new();
            if (cb && cb->message_done)
                cb->message_done(&r, i, skipped->len, data);
            g_free(r.message_id);
            g_free(r.subject);
            g_free(r.error);
            g_ptr_array_unref(r.recipients);
            permanent++;
        }
        if (items->len == 0)
            continue;

        GError *e = NULL;
        if (!flush_account(a, items, cb, data, journal, cancellable, &e)) {
            ok = FALSE;
            if (!first)
                first = e;
            else
                g_error_free(e);
        }
        for (guint i = 0; i < items->len; i++) {
            Item *it = items->pdata[i];
            if (it->result->status == SEND_STATUS_SENT)
                sent++;
            else {
                failed++;
                if (it->result->status == SEND_STATUS_PERMANENT)
                    permanent++;
            }
        }
        e = NULL;
        if (!commit(cfg, f, a, items, &e)) {
            ok = FALSE;
            g_prefix_error(&e, _("the results for account %s could not be saved "
                                 "(the Outbox still holds every message): "), a->id);
            g_clear_error(&first);
            first = e;
            break;
        }
        /* Saved: the journal's lines are history now. */
        e = NULL;
        if (!send_journal_clear(journal, &e)) {
            if (!first)
                first = e;
            else
                g_error_free(e);
        }
    }
    store_folder_close(f);
    send_journal_close(journal);
    close(lock);

    if (sent_out)
        *sent_out = sent;
    if (failed_out)
        *failed_out = failed;
    if (first) {
        g_propagate_error(error, first);
        return FALSE;
    }
    if (failed > 0 || !ok) {
        g_set_error(error, POSTIE_ERROR,
                    permanent ? POSTIE_ERROR_REJECTED : POSTIE_ERROR_TEMPORARY,
                    ngettext("%u message could not be sent; it stays in the Outbox",
                             "%u messages could not be sent; they stay in the Outbox",
                             failed), failed);
        return FALSE;
    }
    return TRUE;
}
