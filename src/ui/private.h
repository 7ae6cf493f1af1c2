/* Internals of the screen, shared by the files of src/ui/ only. */
#ifndef POSTIE_UI_PRIVATE_H
#define POSTIE_UI_PRIVATE_H

#include <curses.h>
#include <glib.h>

#include "config/conf.h"
#include "mime/mime.h"
#include "search/pattern.h"
#include "store/store.h"
#include "util/util.h"
#include "view/view.h"

/* ---- colours (colors.c) ------------------------------------------------ */

/* Set up colour pairs.  Problems (unknown element or colour) go to
 * PROBLEMS (ConfProblem*).  Colours stay off with NO_COLOR, color=false or
 * a terminal without colours. */
void colors_init(const PostieConfig *cfg, GPtrArray *problems);
attr_t colors_attr(UiColor c);

/* ---- the terminal (terminal.c) ---------------------------------------- */

/* initscr() and the modes every screen of postie uses (cbreak, no echo,
 * keypad, non-blocking reads, no cursor), then colors_init(CFG,
 * PROBLEMS).  FALSE when the terminal cannot be used (TERM unknown). */
gboolean terminal_start(const PostieConfig *cfg, GPtrArray *problems);

/* ---- drawing (draw.c) ------------------------------------------------- */

/* Draw TEXT (UTF-8, already term_safe) at Y,X using at most COLS columns,
 * padding with spaces to COLS when PAD.  Wide characters that would not
 * fit are replaced by spaces; combining marks join the previous cell.
 * Returns the columns used. */
int draw_text(int y, int x, const char *text, int cols, gboolean pad);
/* Same, for text from outside: made safe first. */
int draw_untrusted(int y, int x, const char *text, int cols, gboolean pad);
/* Display width of TEXT. */
int draw_width(const char *text);
/* Split TEXT into rows of at most COLS columns (soft wrap at the column);
 * appends newly allocated strings to ROWS. */
void draw_wrap(const char *text, int cols, GPtrArray *rows);
/* Blank a rectangle. */
void draw_clear(int y, int x, int rows, int cols);

/* ---- rendering messages (preview.c) ----------------------------------- */

typedef struct {
    guint64 offset;          /* which message this is (store offset, */
    guint64 length;          /* length and Message-ID: a rewrite of the */
    char *message_id;        /* folder may put another one there) */
    GPtrArray *lines;        /* logical lines (safe UTF-8) */
    GArray *kinds;           /* int per line: 0 body, 1 header, 2 quoted */
    GPtrArray *rows;         /* wrapped rows for ROWS_WIDTH */
    GArray *row_kinds;
    int rows_width;
    MimeView *view;          /* the parsed message (attachments) */
    gboolean full_headers;   /* headers as stored, not the usual few */
} Rendered;

/* WITH_SEND_ERROR: show the delivery error recorded in an Outbox message
 * (only there: elsewhere the header would come from outside).
 * DOWNLOAD_KEY: the key that asks for a headers-only message's body. */
Rendered *rendered_new(StoreFolder *f, guint idx, const PostieConfig *cfg,
                       gboolean with_send_error, const char *download_key, GError **error);
void rendered_free(Rendered *r);
void rendered_wrap(Rendered *r, int width);
/* Draw rows [top, top+rect.h) into RECT. */
void rendered_draw(Rendered *r, const Rect *rect, int top);

/* ---- the screen state (screen.c) --------------------------------------- */

typedef struct Ui Ui;
struct Ui {
    PostieConfig *cfg;
    char *config_path;
    Keymap *keys;
    GPtrArray *problems;     /* ConfProblem*: [keys]/[colors] problems to show once */

    char *mail_dir;
    GPtrArray *folders;      /* char*: folder names */
    char *folder_name;
    StoreFolder *folder;
    MsgView view;

    /* The selection is a message, not a row: its offset and Message-ID
     * find the row again after a sort, a refresh or new mail. */
    gboolean has_sel;
    guint sel_idx;
    guint64 sel_offset;
    char *sel_msgid;
    int top;                 /* first visible row of the list */

    Rendered *preview;       /* of the selected message */
    int preview_top;
    PreviewMode preview_mode;
    int preview_percent;
    gboolean show_folders;
    Layout layout;

    char *search;            /* last search pattern, as typed */
    Pattern *search_pat;
    gboolean search_backward;
    char *message;           /* one-line message under the status line */
    gboolean message_is_error; /* an error stays until a key is pressed */
    GQueue *log;             /* msglog.c: recent messages with times */
    int log_top;
    gboolean log_follow;
    char *progress;          /* fetch/send progress for the status line */

    gboolean quit;
    UiAction pending_action; /* chosen in the pager, run by the list */
    gboolean tag_prefix;     /* the action runs on the tagged messages */
    char *last_pipe;         /* the last command piped to */
    gboolean full_headers;   /* h: show every header line */
    char *pager_search;      /* last text searched for in the pager */
    gboolean pager_backward; /* ... and its direction */
    gint64 preview_since;    /* monotonic time the preview showed its message */
    GHashTable *folder_counts;   /* folder name -> counts (folderpane.c) */
    GHashTable *new_mail_in;     /* folder names marked for new mail */
    gboolean pane_focus;     /* the cursor is in the folder pane */
    int pane_cursor;         /* its row there */
    int wake_fd[2];          /* workers write here to wake the loop */
    GAsyncQueue *events;     /* UiEvent* from workers */
    gint64 next_check;       /* monotonic time of the next auto fetch */
    gboolean busy;           /* a worker is running */
    guint outbox_count;      /* messages waiting in the Outbox */
    guint send_failures;     /* sends in a row that left mail waiting */
    gint64 next_send_retry;  /* monotonic time of the Outbox retry; 0 none */
    gboolean fetch_again;    /* asked for while busy: run when done */
    gboolean send_again;
    /* account id -> the error of its last fetch, until a fetch of it
     * works: marked in the status line, never taken for "no mail". */
    GHashTable *fetch_failed;
    /* X-Postie-UIDL values marked with X: handed to fetch when the next
     * fetch starts; until then X undoes the mark. */
    GHashTable *server_delete;
    /* "FOLDER\nX-Postie-UIDL" of messages moved out of FOLDER and not yet
     * expunged there: their expunge is no deletion (a copy lives on). */
    GHashTable *moved;
    /* "FOLDER\nOFFSET\nMESSAGE-ID" of the same, by position: a message
     * moved away gets no copy in the Trash when it is expunged. */
    GHashTable *moved_here;
};

/* msglist.c */
void msglist_draw(Ui *ui);
int msglist_sel_row(Ui *ui);
void msglist_select_row(Ui *ui, int row);
/* Re-find the selected message after the view changed. */
void msglist_reselect(Ui *ui);
/* Search with a pattern: ASK for a new one, else repeat the last (with
 * BACKWARD: in the opposite direction). */
void msglist_search(Ui *ui, gboolean ask, gboolean backward);
const StoreMessage *msglist_selected(Ui *ui);

/* limit.c: read a pattern on the message line (NULL: cancelled or bad,
 * with the reason shown); limit the view to a pattern. */
Pattern *ui_read_pattern(Ui *ui, const char *question, char **text);
void limit_run(Ui *ui);

/* tags.c: tags live in the view (by message identity); the tag prefix
 * applies the next action to every tagged message. */
void tags_toggle(Ui *ui);
void tags_by_pattern(Ui *ui, gboolean tag);
void tags_prefix(Ui *ui);
/* The message indexes an action works on: the tagged ones under the tag
 * prefix, else the selected one.  Newly allocated; may be empty. */
GArray *ui_targets(Ui *ui, gboolean tagged);

/* pipe.c: pipe message(s) to a command (argv, no shell). */
void pipe_run(Ui *ui, gboolean tagged);

/* folderpane.c: counts per folder and the pane's cursor. */
/* Recount folders whose files changed; TRUE if a number changed. */
gboolean folderpane_update(Ui *ui);
/* Every second: list the folders again and recount. */
gboolean folderpane_tick(Ui *ui);
/* After each key: the open folder's numbers from its flags. */
void folderpane_recount_open(Ui *ui);
void folderpane_seen(Ui *ui, const char *name);
void folderpane_draw_row(Ui *ui, int y, int x, int w, const char *name);
void folders_focus(Ui *ui);

/* folderlist.c */
void folders_reload(Ui *ui);
void folders_draw(Ui *ui);
/* NAME: a folder name, or a path to an mbox anywhere (has '/' or ~). */
gboolean ui_open_folder(Ui *ui, const char *name);
char *ui_folder_path(Ui *ui, const char *name, GError **error);
void ui_close_folder(Ui *ui);
void ui_reload_folder(Ui *ui);
void folders_change(Ui *ui);
/* Completion of folder names (not paths) for prompt_line (DATA: the Ui). */
GPtrArray *folders_complete_names(const char *text, gpointer data);
/* Write the open folder's flags and expunge the messages marked deleted:
 * first those not moved elsewhere are copied to the Trash (cfg->trash,
 * unless this is the Trash) and synced, then the folder is rewritten.
 * Those that came from a POP3 account with delete_when_deleted and have
 * no copy left in any folder are reported to fetch as deleted here.
 * *N_EXPUNGED and *N_TRASHED get the numbers. */
gboolean ui_expunge_folder(Ui *ui, guint *n_expunged, guint *n_trashed,
                           GError **error);
guint ui_count_deleted(Ui *ui);
/* Whether to expunge the open folder now, as [general] delete says,
 * asking "Purge N deleted messages?" when it says ask-*: 1 yes, 0 no,
 * -1 cancelled (Esc).  SYNC_KEY: asked by $ rather than by leaving. */
int ui_purge_answer(Ui *ui, gboolean sync_key);
/* Before leaving the open folder (another folder, quitting): ask and
 * expunge.  FALSE when the user cancelled or the expunge failed (shown). */
gboolean ui_leave_asking(Ui *ui);
/* Remember that message I of the open folder was moved to another one. */
void ui_note_moved(Ui *ui, guint i);

/* preview.c: keep ui->preview in step with the selection and draw it. */
void preview_sync(Ui *ui);
void preview_draw(Ui *ui);
/* preview_mark_read: mark the previewed message read once it has been
 * shown that many seconds; TRUE when it did. */
gboolean preview_tick(Ui *ui);

/* pager.c */
void pager_run(Ui *ui);

/* help.c */
void help_run(Ui *ui);
/* Show LINES (char*, taken) scrollably until q or the help key. */
void help_show(Ui *ui, GPtrArray *lines);

/* status.c */
void status_draw(Ui *ui);
void hint_draw(Ui *ui);
void message_draw(Ui *ui);
void ui_message(Ui *ui, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void ui_error(Ui *ui, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* msglog.c: every message shown is logged with its time. */
void msglog_add(Ui *ui, gboolean error, const char *text);
void msglog_run(Ui *ui);
void msglog_free(Ui *ui);

/* prompt.c */
typedef GPtrArray *(*CompleteFunc)(const char *text, gpointer data);
/* Read a line on the message line; NULL when cancelled with Esc/^G. */
char *prompt_line(Ui *ui, const char *question, const char *initial,
                  CompleteFunc complete, gpointer data);
/* The same; with SECRET the text shows as stars (passwords). */
char *prompt_line_full(Ui *ui, const char *question, const char *initial,
                       CompleteFunc complete, gpointer data, gboolean secret);
/* y/n question; DEF answers Enter. */
gboolean prompt_yesno(Ui *ui, const char *question, gboolean def);
/* One key out of CHOICES (e.g. "sqdc"); 0 when cancelled. */
int prompt_choice(Ui *ui, const char *question, const char *choices);
GPtrArray *complete_path(const char *text, gpointer data);

/* screen.c */
void ui_loop(Ui *ui);
void ui_run_action(Ui *ui, UiAction a);
void ui_redraw(Ui *ui);
/* Read one key, waiting; handles resize (returns KEY_RESIZE tagged). */
int ui_getkey(Ui *ui);
gboolean ui_closing(void);
void ui_catch_signals(Ui *ui);
GThread *ui_thread_new(const char *name, GThreadFunc func, gpointer data);
void ui_release_signals(void);
/* Leave curses for a child program, and come back. */
void ui_suspend(void);
void ui_resume(void);

/* features.c: compose, fetch, send, attachments: the parts that need the
 * other areas.  Events from worker threads arrive through ui->events. */
void ui_features_init(Ui *ui);
void ui_features_shutdown(Ui *ui);
/* Apply queued worker events; TRUE if the screen should be redrawn. */
gboolean ui_handle_events(Ui *ui);
/* Called about once a second: automatic fetch every check_interval. */
gboolean ui_timer_tick(Ui *ui);
void ui_run_feature(Ui *ui, UiAction a);
void ui_start_fetch(Ui *ui);
/* Is M marked with X (delete on the server) and not yet handed to fetch? */
gboolean ui_server_delete_pending(Ui *ui, const StoreMessage *m);
/* Deliver the Outbox of ACCOUNT (NULL: all) in the background. */
void ui_start_send(Ui *ui, const char *account);
/* Count the messages waiting in the Outbox (for the status line). */
void ui_update_outbox(Ui *ui);

/* attach.c: the attachments of the selected message. */
void attachments_run(Ui *ui);

/* editor.c: edit *TEXT in the user's editor (curses suspended). */
gboolean editor_edit(Ui *ui, char **text, GError **error);

/* compose.c */
void compose_new(Ui *ui);
void compose_reply(Ui *ui, MimeReplyKind kind);
/* A new message to TO (an address, or a group name expanded when sent). */
void compose_to(Ui *ui, const char *to);
/* Forward D (taken): ask for To, edit the text, then the compose form. */
void compose_forward_draft(Ui *ui, MimeDraft *d);
/* forward.c: forward the tagged messages as attachments (;f). */
void forward_tagged(Ui *ui);

/* abookview.c: the address book view. */
void abookview_run(Ui *ui);

/* setup.c: first run.  Returns the path written, or NULL if abandoned. */
char *setup_run(const char *config_path);

#endif
