/* Background work (fetch, send) and the actions built on other areas.
 *
 * A worker thread runs fetch_account or send_flush.  It never touches
 * curses or the Ui: its callbacks push UiEvents on ui->events and write a
 * byte to ui->wake_fd[1]; the main loop (ui_getkey) wakes up, applies the
 * events (progress in the status line, reports on the message line) and
 * redraws.  One worker at a time; quitting cancels and joins it. */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "abook/abook.h"
#include "fetch/fetch.h"
#include "send/send.h"
#include "ui/private.h"

/* EV_FETCH_FAILED / EV_FETCH_OK carry the account in ACCOUNT: the
 * status line marks an account whose last fetch failed until one works. */
typedef enum {
    EV_PROGRESS, EV_REPORT, EV_ERROR, EV_FETCH_FAILED, EV_FETCH_OK, EV_DONE
} EventKind;

typedef struct {
    EventKind kind;
    char *text;
    char *account;
} UiEvent;

typedef struct {
    Ui *ui;                  /* only for ui->events and ui->wake_fd */
    GAsyncQueue *events;
    int wake_fd;
    PostieConfig *cfg;
    char *account;           /* send: one account, or NULL for all */
    gboolean is_send;
    guint n_new_total;
    guint n_deleted_total;   /* a deletion on the server is news too */
    guint n_failed;          /* accounts whose fetch failed */
    gboolean send_trouble;   /* send: something stays for a retry */
    char *send_key;          /* keys named in hints, from the main thread */
    char *folder_key;
} Job;

static GThread *worker;
static GCancellable *cancel;

static void flush_server_deletes(Ui *ui);

static void
post_for(Job *job, EventKind kind, const char *account, char *text)
{
    UiEvent *e = g_new0(UiEvent, 1);
    e->kind = kind;
    e->text = text;
    e->account = g_strdup(account);
    g_async_queue_push(job->events, e);
    if (job->wake_fd >= 0) {
        ssize_t r = write(job->wake_fd, "x", 1);
        (void)r;   /* a full pipe already means "wake up" */
    }
}

static void
post(Job *job, EventKind kind, char *text)
{
    post_for(job, kind, NULL, text);
}

static char *
human_bytes(guint64 n)
{
    return g_format_size_full(n, G_FORMAT_SIZE_IEC_UNITS);
}

/* ---- fetch -------------------------------------------------------------- */

static void
fetch_started(const char *account, guint n_new, guint64 bytes, gpointer data)
{
    g_autofree char *b = human_bytes(bytes);
    post(data, EV_PROGRESS,
         g_strdup_printf(g_dngettext(PACKAGE, "Fetching %s: %u new message (%s)",
                                     "Fetching %s: %u new messages (%s)", n_new),
                         account, n_new, b));
}

static void
fetch_message_done(const char *account, guint n, guint of, guint64 done,
                   guint64 total, gpointer data)
{
    g_autofree char *d = human_bytes(done);
    g_autofree char *t = human_bytes(total);
    post(data, EV_PROGRESS,
         g_strdup_printf(_("Fetching %s: %u of %u, %s of %s"), account, n, of, d, t));
}

static void
fetch_finished(const char *account, const FetchSummary *s, const GError *error,
               gpointer data)
{
    Job *job = data;
    if (error && g_error_matches(error, POSTIE_ERROR, POSTIE_ERROR_CANCELLED))
        return;
    if (error) {
        /* The message names the server and carries its own words. */
        job->n_failed++;
        /* fetch prefixes "account NAME: "; the line starts with NAME. */
        g_autofree char *prefix = g_strdup_printf(_("account %s: "), account);
        const char *why = error->message;
        if (g_str_has_prefix(why, prefix))
            why += strlen(prefix);
        post_for(job, EV_FETCH_FAILED, account,
                 g_strdup_printf(_("%s: fetch failed: %s"), account, why));
        return;
    }
    post_for(job, EV_FETCH_OK, account, NULL);
    job->n_new_total += s->n_new + s->n_headers_only;
    job->n_deleted_total += s->n_deleted;
    GString *r = g_string_new(NULL);
    g_string_printf(r, g_dngettext(PACKAGE, "%s: %u new message", "%s: %u new messages",
                                   s->n_new), account, s->n_new);
    if (s->n_headers_only)
        g_string_append_printf(r, g_dngettext(PACKAGE, ", %u headers only",
                                              ", %u headers only", s->n_headers_only),
                               s->n_headers_only);
    if (s->n_deleted)
        g_string_append_printf(r, g_dngettext(PACKAGE, ", %u deleted on the server",
                                              ", %u deleted on the server", s->n_deleted),
                               s->n_deleted);
    g_string_append_printf(r, g_dngettext(PACKAGE, ", %u left on the server.",
                                          ", %u left on the server.", s->n_left), s->n_left);
    post(job, EV_REPORT, g_string_free(r, FALSE));
}

static void
fetch_warning(const char *account, const char *message, gpointer data)
{
    post(data, EV_REPORT, g_strdup_printf("%s: %s", account, message));
}

static gpointer
fetch_thread(gpointer data)
{
    Job *job = data;
    FetchCallbacks cb = { fetch_started, fetch_message_done, fetch_finished, fetch_warning };
    guint tried = 0;
    for (guint i = 0; i < job->cfg->accounts->len; i++) {
        Account *a = job->cfg->accounts->pdata[i];
        if (!a->fetch || !a->pop3.host)
            continue;
        if (g_cancellable_is_cancelled(cancel))
            break;
        tried++;
        post(job, EV_PROGRESS, g_strdup_printf(_("Fetching %s: connecting to %s"), a->id,
                                               a->pop3.host));
        g_autoptr(GError) error = NULL;
        /* Failures arrive through fetch_finished as well. */
        fetch_account(job->cfg, a, NULL, &cb, job, cancel, &error);
    }
    if (tried == 0)
        post(job, EV_ERROR, g_strdup(_("No account to fetch from (see postie.conf(5)).")));
    else if (job->n_failed == 0 && job->n_new_total == 0 && job->n_deleted_total == 0)
        /* Only when every account answered: a failure is never "no mail". */
        post(job, EV_REPORT, g_strdup(_("No new mail.")));
    post(job, EV_DONE, NULL);
    return NULL;
}

/* ---- send --------------------------------------------------------------- */

static void
send_started(const char *account, guint n, gpointer data)
{
    post(data, EV_PROGRESS, g_strdup_printf(g_dngettext(PACKAGE, "Sending %s: %u message",
                                                        "Sending %s: %u messages", n),
                                            account, n));
}

static void
send_progress(const char *account, guint done, guint total, gpointer data)
{
    post(data, EV_PROGRESS, g_strdup_printf(_("Sending %s: %u of %u"), account, done, total));
}

static void
send_message_done(const SendResult *r, guint i, guint n, gpointer data)
{
    if (r->status == SEND_STATUS_SENT) {
        post(data, EV_REPORT, g_strdup_printf(_("Sent: %s"), r->subject ? r->subject : ""));
        return;
    }
    if (r->status == SEND_STATUS_SKIPPED)
        return;
    Job *job = data;
    /* The reason carries the server's reply (already terminal-safe). */
    if (r->status == SEND_STATUS_TEMPORARY) {
        job->send_trouble = TRUE;
        post(job, EV_ERROR,
             g_strdup_printf(_("Not sent (press %s to send now, or wait for the retry): %s "
                               "[\"%s\" stays in the Outbox]"),
                             job->send_key, r->error ? r->error : "",
                             r->subject ? r->subject : ""));
        return;
    }
    post(job, EV_ERROR,
         g_strdup_printf(_("Not sent (permanent): %s [\"%s\" stays in the Outbox: press %s "
                           "and open the Outbox to edit or delete it]"),
                         r->error ? r->error : "", r->subject ? r->subject : "",
                         job->folder_key));
}

static void
send_finished(const char *account, guint sent, guint failed, const GError *error,
              gpointer data)
{
    Job *job = data;
    if (error) {
        job->send_trouble = TRUE;
        post(job, EV_ERROR, g_strdup_printf(_("Sending from %s failed (press %s to send now, "
                                              "or wait for the retry): %s"),
                                            account, job->send_key, error->message));
    }
    else if (!failed)
        post(data, EV_REPORT, g_strdup_printf(g_dngettext(PACKAGE, "%s: %u message sent.",
                                                          "%s: %u messages sent.", sent),
                                              account, sent));
}

static gpointer
send_thread(gpointer data)
{
    Job *job = data;
    SendCallbacks cb = { send_started, send_progress, send_message_done, send_finished };
    guint sent = 0, failed = 0;
    g_autoptr(GError) error = NULL;
    if (!send_flush(job->cfg, job->account, SEND_FLUSH_DEFAULT, &cb, job, cancel, &sent,
                    &failed, &error) && sent == 0 && failed == 0 && error) {
        job->send_trouble = TRUE;
        post(job, EV_ERROR, g_strdup_printf(_("Sending failed: %s"), error->message));
    }
    else if (sent == 0 && failed == 0 && !error)
        post(job, EV_REPORT, g_strdup(_("The Outbox is empty.")));
    post(job, EV_DONE, NULL);
    return NULL;
}

/* ---- starting and finishing jobs ---------------------------------------- */

static void
job_free(Job *job)
{
    g_free(job->account);
    g_free(job->send_key);
    g_free(job->folder_key);
    g_free(job);
}

static Job *running_job;

static gboolean
start_job(Ui *ui, gboolean is_send, const char *account)
{
    if (ui->busy) {
        /* Run it when the current job is done. */
        if (is_send)
            ui->send_again = TRUE;
        else
            ui->fetch_again = TRUE;
        ui_message(ui, is_send ? _("Sending follows when the current job is done.")
                               : _("Fetching follows when the current job is done."));
        return FALSE;
    }
    if (!is_send)
        flush_server_deletes(ui);
    Job *job = g_new0(Job, 1);
    job->ui = ui;
    job->events = ui->events;
    job->wake_fd = ui->wake_fd[1];
    job->cfg = ui->cfg;
    job->is_send = is_send;
    job->account = g_strdup(account);
    job->send_key = keymap_first_key(ui->keys, ACT_SEND_OUTBOX);
    job->folder_key = keymap_first_key(ui->keys, ACT_CHANGE_FOLDER);
    g_clear_object(&cancel);
    cancel = g_cancellable_new();
    ui->busy = TRUE;
    g_free(ui->progress);
    ui->progress = g_strdup(is_send ? _("Sending...") : _("Fetching..."));
    running_job = job;
    worker = ui_thread_new(is_send ? "send" : "fetch", is_send ? send_thread : fetch_thread, job);
    return TRUE;
}

static void
finish_job(Ui *ui)
{
    if (worker) {
        g_thread_join(worker);
        worker = NULL;
    }
    if (running_job) {
        job_free(running_job);
        running_job = NULL;
    }
    ui->busy = FALSE;
    g_clear_pointer(&ui->progress, g_free);
}

/* Backoff for the Outbox after a send left mail waiting: 1, 2, 4, ...
 * minutes, at most an hour; a send without trouble resets it. */
static void
schedule_send_retry(Ui *ui, gboolean trouble)
{
    if (!trouble) {
        ui->send_failures = 0;
        ui->next_send_retry = 0;
        return;
    }
    ui->send_failures = MIN(ui->send_failures + 1, 7);
    gint64 minutes = MIN((gint64)1 << (ui->send_failures - 1), 60);
    ui->next_send_retry = g_get_monotonic_time() + minutes * 60 * G_USEC_PER_SEC;
}

static void
event_free(UiEvent *e)
{
    g_free(e->text);
    g_free(e->account);
    g_free(e);
}

gboolean
ui_handle_events(Ui *ui)
{
    gboolean any = FALSE;
    UiEvent *e;
    while ((e = g_async_queue_try_pop(ui->events))) {
        any = TRUE;
        switch (e->kind) {
        case EV_PROGRESS:
            g_free(ui->progress);
            ui->progress = term_safe(e->text, -1, TERM_SAFE_DEFAULT);
            break;
        case EV_REPORT:
            ui_message(ui, "%s", e->text);
            break;
        case EV_ERROR:
            ui_error(ui, "%s", e->text);
            break;
        case EV_FETCH_FAILED:
            g_hash_table_insert(ui->fetch_failed, g_strdup(e->account), g_strdup(e->text));
            ui_error(ui, "%s", e->text);
            break;
        case EV_FETCH_OK:
            g_hash_table_remove(ui->fetch_failed, e->account);
            /* A server answered: the network is back, so is the retry. */
            if (ui->send_failures)
                ui->next_send_retry = g_get_monotonic_time();
            break;
        case EV_DONE:
            /* A fetch fills folders, a send empties the Outbox. */
            if (running_job && (!running_job->is_send ||
                                !g_strcmp0(ui->folder_name, STORE_OUTBOX)))
                ui_reload_folder(ui);
            if (running_job && running_job->is_send)
                schedule_send_retry(ui, running_job->send_trouble);
            finish_job(ui);
            ui_update_outbox(ui);
            if (ui->send_again) {
                ui->send_again = FALSE;
                start_job(ui, TRUE, NULL);
            } else if (ui->fetch_again) {
                ui->fetch_again = FALSE;
                start_job(ui, FALSE, NULL);
            }
            break;
        }
        event_free(e);
    }
    return any;
}

void
ui_features_init(Ui *ui)
{
    ui->events = g_async_queue_new();
    ui->fetch_failed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    /* With automatic checks on, the first one is at start-up. */
    if (ui->cfg->check_interval > 0)
        ui->next_check = g_get_monotonic_time();
}

void
ui_features_shutdown(Ui *ui)
{
    if (worker) {
        g_cancellable_cancel(cancel);
        g_thread_join(worker);
        worker = NULL;
        ui_handle_events(ui);
        if (running_job) {
            job_free(running_job);
            running_job = NULL;
        }
    }
    g_clear_object(&cancel);
    flush_server_deletes(ui);
    g_clear_pointer(&ui->server_delete, g_hash_table_unref);
    if (ui->events) {
        UiEvent *e;
        while ((e = g_async_queue_try_pop(ui->events)))
            event_free(e);
        g_async_queue_unref(ui->events);
    }
    ui->events = NULL;
    g_clear_pointer(&ui->fetch_failed, g_hash_table_unref);
}

/* The network monitor says whether a route exists; its changes arrive as
 * GLib sources of the default context, dispatched here without blocking. */
static void
watch_network(Ui *ui)
{
    static GNetworkMonitor *monitor;
    static gboolean was_available = TRUE;
    if (!monitor)
        monitor = g_network_monitor_get_default();
    while (g_main_context_iteration(NULL, FALSE))
        ;
    gboolean available = g_network_monitor_get_network_available(monitor);
    if (available && !was_available && ui->send_failures)
        ui->next_send_retry = g_get_monotonic_time();
    was_available = available;
}

/* Retry the Outbox when its backoff is over (see schedule_send_retry). */
static gboolean
send_retry_tick(Ui *ui)
{
    watch_network(ui);
    if (ui->busy || ui->next_send_retry == 0 || ui->outbox_count == 0 ||
        g_get_monotonic_time() < ui->next_send_retry)
        return FALSE;
    ui->next_send_retry = 0;
    return start_job(ui, TRUE, NULL);
}

gboolean
ui_timer_tick(Ui *ui)
{
    if (ui->cfg && send_retry_tick(ui))
        return TRUE;
    if (!ui->cfg || ui->cfg->check_interval <= 0 || ui->busy)
        return FALSE;
    gboolean any = FALSE;
    for (guint i = 0; i < ui->cfg->accounts->len; i++) {
        Account *a = ui->cfg->accounts->pdata[i];
        any |= a->fetch && a->pop3.host;
    }
    if (!any)
        return FALSE;
    gint64 now = g_get_monotonic_time();
    if (now < ui->next_check)
        return FALSE;
    ui->next_check = now + (gint64)ui->cfg->check_interval * 60 * G_USEC_PER_SEC;
    return start_job(ui, FALSE, NULL);
}

void
ui_start_fetch(Ui *ui)
{
    if (start_job(ui, FALSE, NULL) && ui->cfg->check_interval > 0)
        ui->next_check = g_get_monotonic_time() +
                         (gint64)ui->cfg->check_interval * 60 * G_USEC_PER_SEC;
}

void
ui_start_send(Ui *ui, const char *account)
{
    start_job(ui, TRUE, account);
}

void
ui_update_outbox(Ui *ui)
{
    g_autofree char *path = store_path_for(ui->mail_dir, STORE_OUTBOX, NULL);
    if (!path)
        return;
    /* Always the file as it is now (the open Outbox's index may be older
     * than the send that just emptied it: EV_DONE reloads it); marked
     * deleted is not waiting. */
    StoreFolder *f = store_folder_open(path, NULL);
    guint n = 0;
    for (guint i = 0; f && i < store_folder_count(f); i++)
        n += !(store_folder_get(f, i)->flags & MSG_DELETED);
    ui->outbox_count = n;
    if (f)
        store_folder_close(f);
}

/* ---- small actions on the selected message ------------------------------ */

static void
add_sender_to_abook(Ui *ui)
{
    const StoreMessage *m = msglist_selected(ui);
    if (!m || !m->from) {
        ui_error(ui, _("No sender to add."));
        return;
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(Abook) ab = abook_open(NULL, NULL, &error);
    if (!ab) {
        ui_error(ui, "%s", error->message);
        return;
    }
    gboolean is_new = FALSE;
    AbookContact *c = abook_add_from_display(ab, m->from, &is_new, &error);
    if (!c || !abook_save(ab, &error)) {
        ui_error(ui, "%s", error->message);
        return;
    }
    ui_message(ui, is_new ? _("Added %s to the address book.")
                          : _("%s is already in the address book."), m->from);
}

/* X: deleting on the server is asked, shown as X in the list and kept
 * here until the next fetch starts (or the screen closes), so X again
 * undoes it; only then is it handed to fetch, which cannot take it back. */
static void
mark_server_delete(Ui *ui, const StoreMessage *m)
{
    g_autofree char *k = keymap_first_key(ui->keys, ACT_MARK_SERVER_DELETE);
    if (ui->server_delete && g_hash_table_remove(ui->server_delete, m->uidl)) {
        ui_message(ui, _("It stays on the server."));
        return;
    }
    if (!prompt_yesno(ui, _("Delete this message on the server at the next fetch?"), FALSE))
        return;
    if (!ui->server_delete)
        ui->server_delete = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_add(ui->server_delete, g_strdup(m->uidl));
    ui_message(ui, _("Marked X: deleted on the server at the next fetch (%s again undoes it)."),
               k);
}

gboolean
ui_server_delete_pending(Ui *ui, const StoreMessage *m)
{
    return m->uidl && ui->server_delete && g_hash_table_contains(ui->server_delete, m->uidl);
}

/* Hand the pending X marks to fetch (its journal survives a crash). */
static void
flush_server_deletes(Ui *ui)
{
    if (!ui->server_delete)
        return;
    GHashTableIter it;
    gpointer uidl;
    g_hash_table_iter_init(&it, ui->server_delete);
    while (g_hash_table_iter_next(&it, &uidl, NULL)) {
        g_autofree char *account = NULL, *uid = NULL;
        g_autoptr(GError) error = NULL;
        if (fetch_parse_uidl_header(uidl, &account, &uid) &&
            !fetch_mark_delete_on_server(account, uid, &error)) {
            ui_error(ui, "%s", error->message);
            continue;   /* kept: tried again at the next fetch */
        }
        g_hash_table_iter_remove(&it);
    }
}

/* Mark a message kept on the server for download or deletion there. */
static void
mark_on_server(Ui *ui, gboolean download)
{
    const StoreMessage *m = msglist_selected(ui);
    if (!m)
        return;
    g_autofree char *account = NULL, *uid = NULL;
    if (!m->uidl || !fetch_parse_uidl_header(m->uidl, &account, &uid)) {
        ui_error(ui, _("This message did not come from a POP3 server."));
        return;
    }
    if (download && !(m->flags & MSG_PARTIAL)) {
        ui_error(ui, _("This message is complete already."));
        return;
    }
    if (!download) {
        mark_server_delete(ui, m);
        return;
    }
    g_autoptr(GError) error = NULL;
    if (!fetch_mark_download(account, uid, &error)) {
        ui_error(ui, "%s", error->message);
        return;
    }
    ui_message(ui, _("The whole message will be downloaded at the next fetch."));
}

void
ui_run_feature(Ui *ui, UiAction a)
{
    switch (a) {
    case ACT_FETCH: ui_start_fetch(ui); break;
    case ACT_SEND_OUTBOX: ui_start_send(ui, NULL); break;
    case ACT_ADD_SENDER: add_sender_to_abook(ui); break;
    case ACT_ADDRESS_BOOK: abookview_run(ui); break;
    case ACT_MARK_DOWNLOAD: mark_on_server(ui, TRUE); break;
    case ACT_MARK_SERVER_DELETE: mark_on_server(ui, FALSE); break;
    case ACT_ATTACHMENTS: attachments_run(ui); break;
    case ACT_COMPOSE: compose_new(ui); break;
    case ACT_REPLY: compose_reply(ui, MIME_REPLY); break;
    case ACT_REPLY_ALL: compose_reply(ui, MIME_REPLY_ALL); break;
    case ACT_FORWARD: compose_reply(ui, MIME_FORWARD_INLINE); break;
    default: break;
    }
}
