/* ui_main and the main loop.  The loop waits in poll() on the keyboard and
 * on a pipe that worker threads (fetch, send) write to; workers never touch
 * curses, they queue events that are applied here.  Every change of state
 * ends in one full redraw, which curses turns into minimal output. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "ui/private.h"
#include "ui/ui.h"

/* How often the open folder is checked for mail added by others. */
#define REFRESH_MS 1000

static gint64 last_refresh; /* monotonic time of the last folder check */

void
ui_redraw(Ui *ui)
{
    if (!ui->keys) {
        /* the first-run form: it redraws itself between questions */
        layout_compute(&ui->layout, LINES, COLS, FALSE, PREVIEW_OFF, 50);
        erase();
        message_draw(ui);
        refresh();
        return;
    }
    layout_compute(&ui->layout, LINES, COLS, ui->show_folders, ui->preview_mode,
                   ui->preview_percent);
    erase();
    hint_draw(ui);
    folders_draw(ui);
    msglist_draw(ui);
    preview_sync(ui);
    if (ui->preview) {
        rendered_wrap(ui->preview, MAX(ui->layout.preview.w, 1));
        int max = (int)ui->preview->rows->len - ui->layout.preview.h;
        ui->preview_top = CLAMP(ui->preview_top, 0, MAX(max, 0));
    }
    preview_draw(ui);
    if (ui->view.limit_error) {   /* the limit's scan failed on a refresh */
        ui_error(ui, "%s", ui->view.limit_error->message);
        g_clear_error(&ui->view.limit_error);
    }
    status_draw(ui);
    message_draw(ui);
    refresh();
}

/* SIGHUP and SIGTERM close the screen as quitting does (flags written,
 * a message being composed kept in Drafts); ^C (SIGINT) is a key.  The
 * handlers only note the signal and wake the main loop, which acts on
 * it in ui_getkey(); a second SIGHUP or SIGTERM ends the program at once,
 * for a postie stuck in long work.  They replace the handlers ncurses
 * installs for SIGINT and SIGTERM, which end the program on the spot. */
static const int screen_signals[] = { SIGHUP, SIGTERM, SIGINT };
static volatile sig_atomic_t close_signal;
static volatile sig_atomic_t interrupt_signal;
static int signal_wake_fd = -1;

static void
on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGINT) {
        interrupt_signal = 1;
    } else if (close_signal) {
        signal(sig, SIG_DFL);
        raise(sig);
    } else {
        close_signal = sig;
    }
    if (signal_wake_fd >= 0 && write(signal_wake_fd, "s", 1) < 0) {
        /* the pipe is full: the loop is awake anyway */
    }
    errno = saved;
}

void
ui_catch_signals(Ui *ui)
{
    signal_wake_fd = ui->wake_fd[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    /* a call broken off in the main thread (other than its poll, which
     * the pipe wakes anyway) goes on; the workers have them blocked */
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (gsize i = 0; i < G_N_ELEMENTS(screen_signals); i++) {
        struct sigaction old;
        /* ignored when we started (nohup, a background job): stays so */
        if (sigaction(screen_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(screen_signals[i], &sa, NULL);
    }
}

/* A worker thread (fetch, send, and the threads they start) with the
 * screen's signals blocked: they are the main loop's, and a handler run
 * in a worker would break off the system call it was in. */
GThread *
ui_thread_new(const char *name, GThreadFunc func, gpointer data)
{
    sigset_t block, old;
    sigemptyset(&block);
    for (gsize i = 0; i < G_N_ELEMENTS(screen_signals); i++)
        sigaddset(&block, screen_signals[i]);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    GThread *t = g_thread_new(name, func, data);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return t;
}

void
ui_release_signals(void)
{
    signal_wake_fd = -1;
}

void
ui_suspend(void)
{
    def_prog_mode();
    endwin();
}

void
ui_resume(void)
{
    /* a ^C typed while a program (the editor, a viewer) had the
     * terminal was meant for that program */
    interrupt_signal = 0;
    reset_prog_mode();
    clearok(curscr, TRUE);
    refresh();
}

/* Pick up mail appended by others (fetch, another program).  TRUE when
 * the folder changed, so the screen must be drawn again even if the
 * number of messages stayed the same (a message replaced by another). */
static gboolean
refresh_folder(Ui *ui)
{
    if (!ui->folder)
        return FALSE;
    gboolean changed = FALSE;
    g_autoptr(GError) error = NULL;
    if (!store_folder_refresh(ui->folder, &changed, &error)) {
        ui_error(ui, "%s", error->message);
        return FALSE;
    }
    if (!changed)
        return FALSE;
    guint before = ui->view.n;
    view_rebuild(&ui->view, TRUE);
    msglist_reselect(ui);
    if (ui->view.n > before)
        ui_message(ui, g_dngettext(PACKAGE, "%u new message in %s.",
                                   "%u new messages in %s.", ui->view.n - before),
                   ui->view.n - before, ui->folder_name);
    return TRUE;
}

/* Once the terminal is gone (or SIGHUP or SIGTERM came), every wait for
 * a key says so (KEY_EXIT), so that each loop closes as it closes on
 * quit; a loop that keeps asking would spin, so after a few the program
 * ends.  Mail is safe: folders change only through their crash-safe
 * writes. */
#define CLOSING_KEYS_BEFORE_EXIT 16

static gboolean closing;

static int
getkey(Ui *ui, gboolean want_interrupt)
{
    static int closing_keys;
    for (;;) {
        if (close_signal)
            closing = TRUE;
        if (closing) {
            if (++closing_keys > CLOSING_KEYS_BEFORE_EXIT)
                exit(EXIT_FAILURE);
            return UI_KEY_FUNC | KEY_EXIT;
        }
        if (interrupt_signal) {
            /* ^C: the index asks whether to quit; elsewhere it is Esc */
            interrupt_signal = 0;
            return want_interrupt ? UI_KEY_INTERRUPT : 27;
        }
        wint_t wc;
        int r = get_wch(&wc);
        if (r == KEY_CODE_YES)
            return UI_KEY_FUNC | (int)wc;
        if (r == OK && wc == 27) {
            /* Esc and a key at once (Alt+key, or typed fast): M-key. */
            /* curses may hold the next key already: wait through it */
            wint_t next;
            timeout(30);
            int r2 = get_wch(&next);
            nodelay(stdscr, TRUE);
            if (r2 == OK && next >= 0x20 && next != 0x7f)
                return UI_KEY_META | (int)next;
            if (r2 == OK)
                unget_wch((wchar_t)next);
            else if (r2 == KEY_CODE_YES)
                ungetch((int)next);
            return 27;
        }
        if (r == OK)
            return (int)wc;

        struct pollfd fds[2] = {
            { .fd = STDIN_FILENO, .events = POLLIN },
            { .fd = ui->wake_fd[0], .events = POLLIN },
        };
        int n = poll(fds, ui->wake_fd[0] >= 0 ? 2 : 1, REFRESH_MS);
        /* The terminal went away.  A hung-up terminal also reads as
         * readable (end of file), and curses had no key for us: without
         * this, a postie whose SIGHUP is ignored (nohup) would spin. */
        if ((n < 0 && errno != EINTR) ||
            (n > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))) ||
            (n > 0 && (fds[0].revents & POLLIN) && !isatty(STDIN_FILENO))) {
            closing = TRUE;
            continue;
        }
        if (n > 0 && (fds[1].revents & POLLIN)) {
            char buf[64];
            while (read(ui->wake_fd[0], buf, sizeof buf) > 0)
                ;
            if (ui_handle_events(ui))
                return UI_KEY_EVENT;
        }
        gint64 now = g_get_monotonic_time();
        if (now - last_refresh >= REFRESH_MS * 1000) {
            last_refresh = now;
            gboolean changed = refresh_folder(ui);
            changed |= preview_tick(ui);
            if (folderpane_tick(ui) || changed)
                return UI_KEY_EVENT;
        }
        if (ui_timer_tick(ui))
            return UI_KEY_EVENT;
    }
}

int
ui_getkey(Ui *ui)
{
    return getkey(ui, FALSE);
}

/* TRUE once the screen is closing: a loop that would ask again after a
 * cancelled prompt gives up instead. */
gboolean
ui_closing(void)
{
    return closing || close_signal;
}

/* The index's wait: ^C comes back as UI_KEY_INTERRUPT. */
static int
index_getkey(Ui *ui)
{
    return getkey(ui, TRUE);
}

static void
move_to(Ui *ui, int row)
{
    if (ui->view.rows == 0)
        return;
    msglist_select_row(ui, row);
}

/* Set and clear flags on the selected message, or (tag prefix) on every
 * tagged one. */
static void
set_flag(Ui *ui, guint32 set, guint32 clear, gboolean advance)
{
    g_autoptr(GArray) idx = ui_targets(ui, ui->tag_prefix);
    for (guint k = 0; k < idx->len; k++) {
        guint i = g_array_index(idx, guint, k);
        const StoreMessage *m = store_folder_get(ui->folder, i);
        store_folder_set_flags(ui->folder, i, (m->flags | set) & ~clear);
    }
    if (ui->tag_prefix && idx->len)
        ui_message(ui, g_dngettext(PACKAGE, "Done on %u tagged message.",
                                   "Done on %u tagged messages.", idx->len), idx->len);
    if (advance && !ui->tag_prefix && idx->len) {
        int row = msglist_sel_row(ui);
        if (row + 1 < (int)ui->view.rows)
            move_to(ui, row + 1);
    }
}

/* d: mark for deletion; with confirm_delete, only after a yes. */
static void
delete_targets(Ui *ui)
{
    if (ui->cfg->confirm_delete) {
        g_autoptr(GArray) idx = ui_targets(ui, ui->tag_prefix);
        if (idx->len == 0)
            return;
        g_autofree char *q = g_strdup_printf(
            g_dngettext(PACKAGE, "Delete %u message?", "Delete %u messages?", idx->len),
            idx->len);
        if (!prompt_yesno(ui, q, TRUE)) {
            ui_message(ui, _("Nothing deleted."));
            return;
        }
    }
    set_flag(ui, MSG_DELETED, 0, TRUE);
}

/* Toggle FLAG: on for all when any target lacks it, else off for all. */
static void
toggle_flag(Ui *ui, guint32 flag, guint32 clear_with_off)
{
    g_autoptr(GArray) idx = ui_targets(ui, ui->tag_prefix);
    gboolean any_off = FALSE;
    for (guint k = 0; k < idx->len; k++)
        if (!(store_folder_get(ui->folder, g_array_index(idx, guint, k))->flags & flag))
            any_off = TRUE;
    if (any_off)
        set_flag(ui, flag, 0, FALSE);
    else
        set_flag(ui, 0, flag | clear_with_off, FALSE);
}

/* Mark every message of the folder read (one key for mutt's
 * tag-pattern ~N, ;N). */
static void
mark_all_read(Ui *ui)
{
    if (!ui->folder)
        return;
    guint n = 0;
    for (guint i = 0; i < ui->view.n; i++) {
        const StoreMessage *m = store_folder_get(ui->folder, i);
        if (!(m->flags & MSG_READ)) {
            store_folder_set_flags(ui->folder, i, (m->flags | MSG_READ) & ~(guint32)MSG_OLD);
            n++;
        }
    }
    ui_message(ui, g_dngettext(PACKAGE, "%u message marked read.",
                               "%u messages marked read.", n), n);
}

/* Tab: the next unread message after the selection, wrapping (mutt's
 * next-new-then-unread). */
static void
next_unread(Ui *ui)
{
    MsgView *v = &ui->view;
    int from = msglist_sel_row(ui);
    for (guint k = 1; k <= v->rows; k++) {
        guint row = (guint)((from + (int)k) % (int)v->rows);
        const StoreMessage *m = store_folder_get(ui->folder, v->order[row]);
        if (!(m->flags & (MSG_READ | MSG_DELETED))) {
            move_to(ui, (int)row);
            return;
        }
    }
    ui_error(ui, _("No unread messages."));
}

static void
sync_folder(Ui *ui)
{
    if (!ui->folder)
        return;
    g_autoptr(GError) error = NULL;
    guint n = 0, n_trashed = 0;
    int r = ui_purge_answer(ui, TRUE);
    if (r < 0)
        return;
    if (r == 0) {
        /* Kept: only the flags are written, the marks stay. */
        if (!store_folder_sync(ui->folder, FALSE, NULL, &error))
            ui_error(ui, "%s", error->message);
        else
            ui_message(ui, _("Folder written; deleted messages kept."));
        return;
    }
    if (!ui_expunge_folder(ui, &n, &n_trashed, &error)) {
        ui_error(ui, "%s", error->message);
        return;
    }
    view_rebuild(&ui->view, TRUE);
    msglist_reselect(ui);
    if (n_trashed)
        ui_message(ui, g_dngettext(PACKAGE, "Folder written; %u message moved to %s.",
                                   "Folder written; %u messages moved to %s.", n_trashed),
                   n_trashed, ui->cfg->trash);
    else
        ui_message(ui, g_dngettext(PACKAGE, "Folder written; %u message expunged.",
                                   "Folder written; %u messages expunged.", n), n);
}

static void
save_message(Ui *ui)
{
    g_autoptr(GArray) idx = ui_targets(ui, ui->tag_prefix);
    if (idx->len == 0)
        return;
    folders_reload(ui);
    g_autofree char *name = prompt_line(ui, idx->len > 1 ? _("Move the tagged messages to folder: ")
                                                         : _("Move to folder: "), NULL,
                                        folders_complete_names, ui);
    if (!name || !*g_strstrip(name))
        return;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = ui_folder_path(ui, name, &error);
    if (!path || !store_copy(ui->folder, (guint *)(void *)idx->data, idx->len, path, TRUE,
                             &error)) {
        ui_error(ui, "%s", error->message);
        return;
    }
    for (guint k = 0; k < idx->len; k++)
        ui_note_moved(ui, g_array_index(idx, guint, k));
    folders_reload(ui);   /* a new folder shows in the pane at once */
    g_autofree char *safe = term_safe(name, -1, TERM_SAFE_DEFAULT);
    if (idx->len == 1)
        ui_message(ui, _("Moved to %s (removed here at the next sync)."), safe);
    else
        ui_message(ui, _("Moved %u messages to %s (removed here at the next sync)."),
                   idx->len, safe);
    int row = msglist_sel_row(ui);
    if (!ui->tag_prefix && row + 1 < (int)ui->view.rows)
        move_to(ui, row + 1);
}

static void
choose_sort(Ui *ui)
{
    int k = prompt_choice(ui, _("Sort by (d)ate, (s)ender, su(b)ject, si(z)e, (r)everse? "),
                          "dsbzr");
    MsgView *v = &ui->view;
    switch (k) {
    case 'd': v->sort = SORT_DATE; break;
    case 's': v->sort = SORT_SENDER; break;
    case 'b': v->sort = SORT_SUBJECT; break;
    case 'z': v->sort = SORT_SIZE; break;
    case 'r': v->reverse = !v->reverse; break;
    default: return;
    }
    view_rebuild(v, FALSE);
    msglist_reselect(ui);
}

void
ui_run_action(Ui *ui, UiAction a)
{
    int row = msglist_sel_row(ui);
    int page = MAX(ui->layout.list.h - 1, 1);
    switch (a) {
    case ACT_UP: move_to(ui, row - 1); break;
    case ACT_DOWN: move_to(ui, row + 1); break;
    case ACT_PAGE_UP: move_to(ui, row - page); break;
    case ACT_PAGE_DOWN: move_to(ui, row + page); break;
    case ACT_FIRST: move_to(ui, 0); break;
    case ACT_LAST: move_to(ui, (int)ui->view.rows - 1); break;
    case ACT_OPEN: pager_run(ui); break;
    case ACT_QUIT: ui->quit = ui_leave_asking(ui); break;
    case ACT_DELETE: delete_targets(ui); break;
    case ACT_UNDELETE: set_flag(ui, 0, MSG_DELETED, TRUE); break;
    case ACT_FLAG: toggle_flag(ui, MSG_FLAGGED, 0); break;
    case ACT_TOGGLE_READ: toggle_flag(ui, MSG_READ, MSG_OLD); break;
    case ACT_SAVE: save_message(ui); break;
    case ACT_CHANGE_FOLDER: folders_change(ui); break;
    case ACT_SEARCH: msglist_search(ui, TRUE, FALSE); break;
    case ACT_SEARCH_REVERSE: msglist_search(ui, TRUE, TRUE); break;
    case ACT_SEARCH_NEXT: msglist_search(ui, FALSE, FALSE); break;
    case ACT_SEARCH_OPPOSITE: msglist_search(ui, FALSE, TRUE); break;
    case ACT_LIMIT: limit_run(ui); break;
    case ACT_TAG: tags_toggle(ui); break;
    case ACT_TAG_PATTERN: tags_by_pattern(ui, TRUE); break;
    case ACT_UNTAG_PATTERN: tags_by_pattern(ui, FALSE); break;
    case ACT_TAG_PREFIX: tags_prefix(ui); break;
    case ACT_PIPE: pipe_run(ui, ui->tag_prefix); break;
    case ACT_NEXT_UNREAD: next_unread(ui); break;
    case ACT_MARK_ALL_READ: mark_all_read(ui); break;
    case ACT_FOLDER_PANE: folders_focus(ui); break;
    case ACT_TOGGLE_HEADERS: ui->full_headers = !ui->full_headers; break;
    case ACT_SYNC: sync_folder(ui); break;
    case ACT_HELP: help_run(ui); break;
    case ACT_SORT: choose_sort(ui); break;
    case ACT_THREADS:
        ui->view.threads = !ui->view.threads;
        view_rebuild(&ui->view, FALSE);
        msglist_reselect(ui);
        ui_message(ui, ui->view.threads ? _("Threads on.") : _("Threads off."));
        break;
    case ACT_TOGGLE_FOLDERS: ui->show_folders = !ui->show_folders; break;
    case ACT_PREVIEW_LAYOUT:
        ui->preview_mode = (ui->preview_mode + 1) % 3;
        break;
    case ACT_PREVIEW_GROW: ui->preview_percent = MIN(ui->preview_percent + 5, 90); break;
    case ACT_PREVIEW_SHRINK: ui->preview_percent = MAX(ui->preview_percent - 5, 10); break;
    case ACT_PREVIEW_DOWN: ui->preview_top += MAX(ui->layout.preview.h - 1, 1); break;
    case ACT_PREVIEW_UP: ui->preview_top -= MAX(ui->layout.preview.h - 1, 1); break;
    case ACT_REDRAW: clearok(curscr, TRUE); break;
    case ACT_MESSAGE_LOG: msglog_run(ui); break;
    case ACT_COMPOSE: case ACT_REPLY: case ACT_REPLY_ALL: case ACT_FORWARD:
    case ACT_FETCH: case ACT_SEND_OUTBOX: case ACT_ADD_SENDER: case ACT_ADDRESS_BOOK:
    case ACT_ATTACHMENTS: case ACT_MARK_DOWNLOAD: case ACT_MARK_SERVER_DELETE:
        ui_run_feature(ui, a);
        break;
    case ACT_NONE: case ACT_COUNT: break;
    }
}

void
ui_loop(Ui *ui)
{
    while (!ui->quit) {
        ui_redraw(ui);
        int key = index_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_EXIT))
            break;
        if (key == UI_KEY_INTERRUPT) {
            if (prompt_yesno(ui, _("Quit postie?"), TRUE))
                ui->quit = ui_leave_asking(ui);
            continue;
        }
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
        UiAction a = keymap_lookup(ui->keys, key);
        if (a == ACT_NONE) {
            g_autofree char *name = keymap_key_name(key);
            g_autofree char *help = keymap_first_key(ui->keys, ACT_HELP);
            ui_error(ui, _("Key %s is not bound; %s shows the keys."), name, help);
            continue;
        }
        g_clear_pointer(&ui->message, g_free);
        ui_run_action(ui, a);
        while (ui->pending_action != ACT_NONE) {
            UiAction p = ui->pending_action;
            ui->pending_action = ACT_NONE;
            ui_run_action(ui, p);
        }
        folderpane_recount_open(ui);
    }
}
