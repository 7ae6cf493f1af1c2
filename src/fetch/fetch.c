/* fetch_account(): one POP3 account into the local folders.  The order of
 * work and why it never loses or duplicates mail is in fetch.h. */
#include <config.h>

#include <string.h>

#include "fetch/private.h"
#include "store/store.h"
#include "util/util.h"

/* A batch is made durable with about four fsyncs; these bounds keep that
 * cost small per message and the memory held small: the bytes are counted
 * as LIST gives them when the batch is planned, and as they arrive (a
 * server may lie), and a message of POP3_PIECE_SIZE or more never stays
 * in memory at all (spool.c).  So a fetch holds about BATCH_MAX_BYTES +
 * 3 * POP3_PIECE_SIZE of mail at most. */
#define BATCH_MAX_MESSAGES 500
#define BATCH_MAX_BYTES ((guint64)16 * 1024 * 1024)

static void
warn(FetchRun *run, const char *message)
{
    run->summary.n_warnings++;
    if (run->cb && run->cb->warning)
        run->cb->warning(run->account->id, message, run->cb_data);
}

static void G_GNUC_PRINTF(2, 3)
warnf(FetchRun *run, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    g_autofree char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    warn(run, msg);
}

/* The key of this server mailbox in the records: USER@HOST.  Not the
 * port: moving from 110 to 995 must not download everything again. */
static char *
server_key(const Account *a)
{
    const char *user = a->pop3.user ? a->pop3.user : a->address;
    return g_strdup_printf("%s@%s", user ? user : "",
                           a->pop3.host ? a->pop3.host : "");
}

/* ---- downloading one batch ------------------------------------------------ */

/* The identity of a message known by its content DIGEST (taken): the
 * digest for the first message with that content in the server's list,
 * DIGEST.2 for the second, and so on, so that two byte-identical messages
 * on the server are two messages here.  The server's order is stable, so
 * each keeps its identity from one fetch to the next. */
static char *
digest_identity(FetchRun *run, char *digest)
{
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(run->digest_counts, digest)) + 1;
    g_hash_table_replace(run->digest_counts, g_strdup(digest), GUINT_TO_POINTER(n));
    if (n == 1)
        return digest;
    char *id = g_strdup_printf("%s.%u", digest, n);
    g_free(digest);
    return id;
}

typedef struct {
    FetchRun *run;
    const PlanItem *items;     /* the batch's plan items, in order */
    guint n;
    guint next;                /* index of the next expected message */
    GPtrArray *entries;        /* BatchEntry* */
    guint64 held;              /* bytes of ENTRIES in memory */
    gboolean headers;          /* TOP n 0 */
    Spool *spool;              /* the large message coming in pieces */
} BatchCtx;

static const PlanItem *
expected(BatchCtx *b, guint num, GError **error)
{
    if (b->next >= b->n || b->items[b->next].num != num) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                    _("message %u arrived out of order"), num);
        return NULL;
    }
    return &b->items[b->next];
}

/* A piece of a large message: into a spool file, never into memory. */
static gboolean
on_part(guint num, const char *data, gsize len, gpointer user_data,
        GError **error)
{
    BatchCtx *b = user_data;
    if (!expected(b, num, error))
        return FALSE;
    if (b->spool && spool_num(b->spool) != num)
        g_clear_pointer(&b->spool, spool_free);   /* one that was cut off */
    if (!b->spool) {
        b->spool = spool_new(b->run->cfg->mail_dir, num, error);
        if (!b->spool)
            return FALSE;
    }
    return spool_add(b->spool, data, len, error) &&
           !g_cancellable_set_error_if_cancelled(b->run->cancellable, error);
}

/* Whole messages wait in memory for one commit, up to BATCH_MAX_BYTES of
 * what really arrived (a server's LIST sizes may lie); a spooled one is
 * committed at once. */
static gboolean
hold_or_commit(BatchCtx *b, BatchEntry *e, GError **error)
{
    g_ptr_array_add(b->entries, e);
    b->held += e->data ? e->data->len : 0;
    if (!e->spool && b->held < BATCH_MAX_BYTES)
        return TRUE;
    gboolean ok = batch_commit(b->run, b->entries, error);
    g_ptr_array_set_size(b->entries, 0);
    b->held = 0;
    return ok;
}

static gboolean
on_message(guint num, const char *data, gsize len, gpointer user_data,
           GError **error)
{
    BatchCtx *b = user_data;
    FetchRun *run = b->run;
    const PlanItem *it = expected(b, num, error);
    if (!it)
        return FALSE;
    b->next++;

    /* The end of a large message, or a whole one. */
    Spool *spool = NULL;
    if (b->spool && spool_num(b->spool) == num) {
        spool = g_steal_pointer(&b->spool);
        if (!spool_add(spool, data, len, error) || !spool_finish(spool, error)) {
            spool_free(spool);
            return FALSE;
        }
    } else {
        g_clear_pointer(&b->spool, spool_free);
    }
    guint64 size = spool ? spool_raw_length(spool) : len;

    run->n_done++;
    /* In the server's octets, like bytes_total, so the bar ends full. */
    run->bytes_done += it->act == ACT_TOP ? 0 : it->size;
    run->summary.bytes += size;
    if (run->cb && run->cb->message_done)
        run->cb->message_done(run->account->id, run->n_done, run->n_total,
                              run->bytes_done, run->bytes_total, run->cb_data);

    BatchEntry *e = g_new0(BatchEntry, 1);
    e->num = num;
    e->partial = b->headers;
    e->dele_after = it->dele_after_download;
    e->spool = spool;
    if (it->uid) {
        e->uid = g_strdup(it->uid);
    } else {
        /* No usable UID: the content is the identity. */
        e->uid = digest_identity(run, spool ? spool_digest_uid(spool)
                                            : message_digest_uid(data, len));
        g_hash_table_add(run->seen_digests, g_strdup(e->uid));
        const UidlRecord *r = g_hash_table_lookup(run->records, e->uid);
        if (r) {
            /* Already here: delete it when the policy says so and it can
             * be told apart from the others. */
            if (plan_dele_known(it, r, &run->policy, run->now)) {
                g_array_append_val(run->dele, e->num);
                g_ptr_array_add(run->dele_uids, g_strdup(e->uid));
            }
            batch_entry_free(e);
            return !g_cancellable_set_error_if_cancelled(run->cancellable, error);
        }
    }
    if (it->act == ACT_RETR_REPLACE) {
        const UidlRecord *r = g_hash_table_lookup(run->records, e->uid);
        e->replace = TRUE;
        e->folder = g_strdup(r && r->folder ? r->folder : run->account->inbox);
    } else if (spool) {
        /* The header block is at the start of the file. */
        e->folder = g_strdup(spool_folder_for(spool, run->cfg, run->account));
    } else {
        e->folder = g_strdup(filter_folder_for(run->cfg, run->account, data, len));
    }
    if (spool)
        e->head = g_strdup_printf("X-Postie-UIDL: %s %s\n", run->account->id, e->uid);
    else
        e->data = message_prepare(data, len, run->account->id, e->uid);
    if (e->partial)
        run->summary.n_headers_only++;
    else
        run->summary.n_new++;
    return hold_or_commit(b, e, error) &&
           !g_cancellable_set_error_if_cancelled(run->cancellable, error);
}

static gboolean
download_batch(FetchRun *run, const PlanItem *items, guint n, gboolean headers,
               GError **error)
{
    g_autofree guint *nums = g_new(guint, n);
    for (guint i = 0; i < n; i++)
        nums[i] = items[i].num;
    BatchCtx b = { run, items, n, 0, NULL, 0, headers, NULL };
    b.entries = g_ptr_array_new_with_free_func(batch_entry_free);
    gboolean ok;
    if (headers) {
        g_autoptr(GError) local = NULL;
        ok = pop3_top_many_parts(run->session, nums, n, 0, on_part, on_message, &b,
                                 &local);
        if (!ok && b.next == 0 &&
            g_error_matches(local, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED) &&
            !pop3_is_broken(run->session)) {
            warn(run, _("the server does not support TOP: downloading whole "
                        "messages instead of headers only"));
            b.headers = FALSE;
            ok = pop3_retr_many_parts(run->session, nums, n, on_part, on_message, &b,
                                      error);
        } else if (!ok) {
            g_propagate_error(error, g_steal_pointer(&local));
        }
    } else {
        ok = pop3_retr_many_parts(run->session, nums, n, on_part, on_message, &b, error);
    }
    g_clear_pointer(&b.spool, spool_free);    /* cut off half-way */
    /* Whatever arrived whole is kept even when the rest failed: it costs
     * nothing to save and spares a download. */
    g_autoptr(GError) commit_error = NULL;
    gboolean committed = batch_commit(run, b.entries, &commit_error);
    g_ptr_array_unref(b.entries);
    if (!committed) {
        if (ok)
            g_propagate_error(error, g_steal_pointer(&commit_error));
        return FALSE;
    }
    return ok;
}

static gboolean
download_all(FetchRun *run, const FetchPlan *plan, GError **error)
{
    const PlanItem *all = (const PlanItem *)(void *)plan->items->data;
    guint n = plan->items->len;
    g_autoptr(GArray) sel = g_array_new(FALSE, FALSE, sizeof(PlanItem));

    /* Full downloads first, then headers only, each in bounded batches. */
    for (int pass = 0; pass < 2; pass++) {
        gboolean headers = pass == 1;
        guint64 bytes = 0;
        g_array_set_size(sel, 0);
        for (guint i = 0; i <= n; i++) {
            gboolean flush = i == n;
            if (!flush) {
                const PlanItem *it = &all[i];
                if (it->act == ACT_NONE || (it->act == ACT_TOP) != headers)
                    continue;
                g_array_append_val(sel, *it);
                bytes += it->size;
                flush = sel->len >= BATCH_MAX_MESSAGES || bytes >= BATCH_MAX_BYTES;
            }
            if (flush && sel->len > 0) {
                if (g_cancellable_set_error_if_cancelled(run->cancellable, error))
                    return FALSE;
                if (!download_batch(run, (const PlanItem *)(void *)sel->data,
                                    sel->len, headers, error))
                    return FALSE;
                g_array_set_size(sel, 0);
                bytes = 0;
            }
        }
    }
    return TRUE;
}

/* ---- the account ------------------------------------------------------------ */

/* Reading the records (and taking the marks), in a thread of its own
 * while the server logs us in and lists the mailbox: with 100,000 UIDs
 * each is a good part of a check that finds nothing new. */
typedef struct {
    FetchRun *run;
    const char *server;
    int lock_fd;
    GError *error;
} RecordsJob;

static gpointer
read_records(gpointer data)
{
    RecordsJob *j = data;
    FetchRun *run = j->run;
    run->records_file = uidls_open_locked(run->records_path, run->account->id,
                                          j->lock_fd, &j->error);
    if (!run->records_file)
        return NULL;
    run->records = uidls_section(run->records_file, j->server);
    run->marks = marks_take(run->records_path, &j->error);
    return NULL;
}

static void
plan_warnings(FetchRun *run, const FetchPlan *plan, gboolean has_uidl,
              GPtrArray *scan, guint n)
{
    if (!has_uidl && n > 0)
        warn(run, run->policy.leave_on_server ?
             _("the server does not support UIDL, so messages left on it can "
               "only be recognised by downloading them again: every message "
               "is downloaded on every fetch (nothing is stored twice). "
               "Consider leave_on_server = false for this account") :
             _("the server does not support UIDL: each message is recognised "
               "by its content, and deleted once it is safely stored here"));
    for (guint i = 0; i < plan->dup_uids->len; i++) {
        g_autofree char *uid = term_safe(plan->dup_uids->pdata[i], -1, 0);
        warnf(run, _("the server gives UID %s to more than one message: those "
                     "messages are recognised by content and never deleted "
                     "on the server"), uid);
    }
    guint invalid = 0;
    for (guint i = 0; i < n; i++)
        invalid += ((const Pop3Message *)scan->pdata[i])->uid_invalid;
    if (invalid)
        warnf(run, ngettext("the server sent %u invalid UID: that message is "
                            "recognised by content and never deleted on the server",
                            "the server sent %u invalid UIDs: those messages are "
                            "recognised by content and never deleted on the server",
                            invalid), invalid);
    if (plan->uids_changed)
        warnf(run, _("none of the %u messages on the server has a UID seen "
                     "before: the server seems to have changed every UID, so "
                     "they are all downloaded again; the old records are kept "
                     "and nothing is deleted on the server because of them"), n);
}

static gboolean
run_account(FetchRun *run, GError **error)
{
    g_autofree char *server = server_key(run->account);
    /* The lock first: a second fetch of the account stops before it
     * connects. */
    run->records_path = uidls_path_for(run->account->id);
    RecordsJob job = { run, server, -1, NULL };
    job.lock_fd = uidls_lock(run->records_path, run->account->id, error);
    if (job.lock_fd < 0)
        return FALSE;
    GThread *reader = g_thread_new("postie-records", read_records, &job);

    g_autoptr(GError) perr = NULL;
    gboolean has_uidl = TRUE, have_sizes = TRUE;
    g_autoptr(GPtrArray) scan = NULL;
    run->session = fetch_pop3_open(run->account, run->cancellable, &perr);
    if (run->session)
        scan = pop3_scan_uids(run->session, &has_uidl, &have_sizes, &perr);
    g_thread_join(reader);
    if (job.error) {
        /* Damaged records stop the account whatever the server said. */
        g_propagate_error(error, job.error);
        return FALSE;
    }
    if (!scan) {
        if (!run->session)
            run->error_names_account = TRUE;   /* its errors say "account X: " */
        g_propagate_error(error, g_steal_pointer(&perr));
        return FALSE;
    }
    guint n = scan->len;
    g_autofree ServerMsg *msgs = g_new0(ServerMsg, n ? n : 1);
    for (guint i = 0; i < n; i++) {
        const Pop3Message *m = scan->pdata[i];
        msgs[i].num = m->num;
        msgs[i].size = m->size;
        msgs[i].uid = m->uid;
        msgs[i].no_dele = m->uid_invalid || m->uid_duplicate;
    }

    /* Crash leftovers first, then forget UIDs the server no longer has,
     * then save: this also makes the taken marks part of the records. */
    if (!recover_in_flight(run, error))
        return FALSE;
    for (guint i = 0; i < run->marks->len; i++) {
        const char *mark = run->marks->pdata[i];
        marks_apply(run->records, mark);
        if (strlen(mark) > 2 && uidl_valid(mark + 2))
            uidls_note(run->records_file, run->records, mark + 2);
    }
    FetchPlan *plan = plan_make(msgs, n, run->records, &run->policy, run->now);
    if (plan->n_download > 0 && !have_sizes) {
        /* Sizes matter only for what is downloaded (size_limit, batches,
         * progress): LIST only then, and plan again with them. */
        if (!pop3_scan_sizes(run->session, scan, error)) {
            plan_free(plan);
            return FALSE;
        }
        for (guint i = 0; i < n; i++)
            msgs[i].size = ((const Pop3Message *)scan->pdata[i])->size;
        plan_free(plan);
        plan = plan_make(msgs, n, run->records, &run->policy, run->now);
    }
    /* Every record listed (a check with nothing new): nothing to forget. */
    if (!plan->uids_changed && plan->n_known < g_hash_table_size(run->records)) {
        g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func(g_free);
        plan_prune(run->records, msgs, n, dropped);
        for (guint i = 0; i < dropped->len; i++)
            uidls_note(run->records_file, run->records, dropped->pdata[i]);
    }
    if (!uidls_save(run->records_file, error) ||
        !marks_done(run->records_path, error)) {
        plan_free(plan);
        return FALSE;
    }
    plan_warnings(run, plan, has_uidl, scan, n);

    run->n_total = plan->n_download;
    run->bytes_total = plan->bytes_download;
    if (run->cb && run->cb->account_started)
        run->cb->account_started(run->account->id, run->n_total,
                                 run->bytes_total, run->cb_data);

    gboolean ok = download_all(run, plan, error);
    if (ok) {
        /* Already recorded messages the policy deletes. */
        for (guint i = 0; i < plan->items->len; i++) {
            const PlanItem *it = &g_array_index(plan->items, PlanItem, i);
            if (it->dele) {
                g_array_append_val(run->dele, it->num);
                g_ptr_array_add(run->dele_uids, g_strdup(it->uid));
            }
        }
    }
    plan_free(plan);
    if (!ok)
        return FALSE;    /* no QUIT: the server deletes nothing */

    guint n_done = 0;
    if (run->dele->len > 0 &&
        !pop3_dele_many(run->session, (const guint *)(void *)run->dele->data,
                        run->dele->len, &n_done, error))
        return FALSE;
    if (!pop3_quit(run->session, error))
        return FALSE;
    run->summary.n_deleted = run->dele->len;
    run->summary.n_left = n - run->dele->len;

    /* Deleted for good: forget them.  Digest identities not seen this
     * time (no UIDL) are gone from the server too. */
    for (guint i = 0; i < run->dele_uids->len; i++) {
        g_hash_table_remove(run->records, run->dele_uids->pdata[i]);
        uidls_note(run->records_file, run->records, run->dele_uids->pdata[i]);
    }
    if (!has_uidl || g_hash_table_size(run->seen_digests) > 0) {
        GHashTableIter it;
        gpointer k;
        g_hash_table_iter_init(&it, run->records);
        while (g_hash_table_iter_next(&it, &k, NULL))
            if (g_str_has_prefix(k, "postie-sha256:") &&
                !g_hash_table_contains(run->seen_digests, k)) {
                uidls_note(run->records_file, run->records, k);
                g_hash_table_iter_remove(&it);
            }
    }
    /* The batches' journal folded into the records file: once per fetch. */
    return uidls_save(run->records_file, error) &&
           uidls_fold_journal(run->records_file, error);
}

gboolean
fetch_account(const PostieConfig *cfg, const Account *account,
              const FetchOptions *options, const FetchCallbacks *callbacks,
              gpointer data, GCancellable *cancellable, GError **error)
{
    FetchRun run = { 0 };
    run.cfg = cfg;
    run.account = account;
    run.cb = callbacks;
    run.cb_data = data;
    run.cancellable = cancellable;
    run.now = g_get_real_time() / G_USEC_PER_SEC;
    run.policy.leave_on_server = account->leave_on_server;
    run.policy.delete_after_days = account->delete_after_days;
    run.policy.delete_when_deleted = account->delete_when_deleted;
    run.policy.headers_only = account->headers_only ||
                              (options && options->headers_only);
    run.policy.size_limit = account->size_limit;
    run.seen_digests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    run.digest_counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    run.dele = g_array_new(FALSE, FALSE, sizeof(guint));
    run.dele_uids = g_ptr_array_new_with_free_func(g_free);

    g_autoptr(GError) local = NULL;
    gboolean ok = store_ensure_default_folders(cfg->mail_dir, &local) &&
                  run_account(&run, &local);
    if (!ok) {
        if (!run.error_names_account)
            g_prefix_error(&local, _("account %s: "), account->id);
        run.summary.n_deleted = 0;
    }
    if (callbacks && callbacks->account_finished)
        callbacks->account_finished(account->id, &run.summary,
                                    ok ? NULL : local, data);
    if (!ok)
        g_propagate_error(error, g_steal_pointer(&local));

    if (run.session)
        pop3_session_free(run.session);
    uidls_close(run.records_file);
    g_free(run.records_path);
    g_hash_table_unref(run.seen_digests);
    g_hash_table_unref(run.digest_counts);
    g_array_unref(run.dele);
    g_ptr_array_unref(run.dele_uids);
    if (run.marks)
        g_ptr_array_unref(run.marks);
    return ok;
}
