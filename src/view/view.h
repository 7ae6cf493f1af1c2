/* view/: the screen's logic without a screen, in the core library so
 * that unit tests reach it (the screen itself is ui/).
 *
 *   keymap.c   actions, their mutt-like default keys, key specs, [keys]
 *              rebinding
 *   colors.c   screen elements and their colours as [colors] gives them
 *              (the curses colour pairs are made in ui/colors.c)
 *   layout.c   where each pane goes for a terminal size
 *   sort.c     the message list's order: sort keys computed once per
 *              folder, the limit, search (patterns from src/search)
 *   threads.c  threading by References / In-Reply-To
 *   tags.c     tags kept by message identity across folder changes
 *
 * view_check_config() is what "postie config check" runs for the screen's
 * sections; the screen reports the same problems when it starts.  Key
 * codes are curses' (KEY_DOWN, ...), so this header includes curses.h for
 * the constants; nothing here draws.
 */
#ifndef POSTIE_VIEW_H
#define POSTIE_VIEW_H

#include <curses.h>
#include <glib.h>

#include "config/conf.h"
#include "search/pattern.h"
#include "store/store.h"

/* Check the screen's sections of CFG, [keys] (action names, key specs)
 * and [colors] (element names, colours), adding ConfProblem* with
 * FILE:LINE to PROBLEMS.  Needs no terminal. */
void view_check_config(const PostieConfig *cfg, GPtrArray *problems);

/* ---- keys and actions (keymap.c) -------------------------------------- */

/* A key as read from the keyboard: a Unicode character, or a curses
 * function key (KEY_DOWN, ...) tagged with UI_KEY_FUNC so the two ranges
 * cannot collide. */
#define UI_KEY_FUNC 0x1000000
/* Alt+key, or Esc then the key (mutt's "Esc /"). */
#define UI_KEY_META 0x2000000
#define UI_KEY_NONE (-1)
/* Not a key: something happened in the background (new mail, progress);
 * the caller redraws. */
#define UI_KEY_EVENT (UI_KEY_FUNC | 0xffff)
/* ^C (SIGINT) in the index, which asks whether to quit (as mutt asks). */
#define UI_KEY_INTERRUPT (UI_KEY_FUNC | 0xfffe)

typedef enum {
    ACT_NONE = 0,
    ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_FIRST, ACT_LAST,
    ACT_OPEN, ACT_QUIT, ACT_COMPOSE, ACT_REPLY, ACT_REPLY_ALL, ACT_FORWARD,
    ACT_DELETE, ACT_UNDELETE, ACT_SAVE, ACT_CHANGE_FOLDER, ACT_SEARCH,
    ACT_SEARCH_NEXT, ACT_SYNC, ACT_FETCH, ACT_ADD_SENDER, ACT_ADDRESS_BOOK,
    ACT_HELP,
    ACT_SORT, ACT_THREADS, ACT_TOGGLE_FOLDERS, ACT_PREVIEW_LAYOUT,
    ACT_PREVIEW_GROW, ACT_PREVIEW_SHRINK, ACT_ATTACHMENTS, ACT_FLAG,
    ACT_TOGGLE_READ, ACT_MARK_DOWNLOAD, ACT_MARK_SERVER_DELETE,
    ACT_SEND_OUTBOX, ACT_REDRAW, ACT_PREVIEW_DOWN, ACT_PREVIEW_UP,
    ACT_SEARCH_REVERSE, ACT_SEARCH_OPPOSITE, ACT_LIMIT, ACT_TAG,
    ACT_TAG_PATTERN, ACT_UNTAG_PATTERN, ACT_TAG_PREFIX, ACT_PIPE,
    ACT_NEXT_UNREAD, ACT_MARK_ALL_READ, ACT_FOLDER_PANE, ACT_TOGGLE_HEADERS,
    ACT_MESSAGE_LOG,
    ACT_COUNT
} UiAction;

typedef struct {
    UiAction action;
    const char *name;          /* as written in [keys] */
    const char *defaults;      /* default key specs, space separated */
    const char *help;          /* one line for the help screen */
} ActionInfo;

typedef struct Keymap Keymap;

const ActionInfo *keymap_actions(void);        /* ACT_COUNT-1 entries */
const ActionInfo *keymap_action_info(UiAction a);
/* Build the bindings: defaults, then cfg->keys.  Problems with [keys]
 * (unknown action or key) are added to PROBLEMS as ConfProblem*. */
Keymap *keymap_new(const PostieConfig *cfg, GPtrArray *problems);
void keymap_free(Keymap *km);
UiAction keymap_lookup(const Keymap *km, int key);
/* The keys bound to A, for display ("j, <Down>"); newly allocated. */
char *keymap_keys_for(const Keymap *km, UiAction a);
/* The first key bound to A, for the key hint ("?"), newly allocated. */
char *keymap_first_key(const Keymap *km, UiAction a);
/* Parse one key spec ("j", "<Down>", "^L", "C-l", "M-/"); UI_KEY_NONE
 * if bad. */
int keymap_parse_key(const char *spec);
char *keymap_key_name(int key);

/* ---- colours (colors.c) ------------------------------------------------ */

typedef enum {
    COL_NORMAL, COL_INDICATOR, COL_STATUS, COL_HINT, COL_NEW, COL_DELETED,
    COL_FLAGGED, COL_DIVIDER, COL_HEADER, COL_QUOTED, COL_ERROR, COL_TREE,
    COL_FOLDER, COL_PARTIAL, COL_COUNT
} UiColor;

/* The name of element C in [colors] ("indicator"). */
const char *colors_element_name(UiColor c);
/* The colours of element C: [colors] when it is valid there, else the
 * default.  FG and BG are curses colour numbers (-1: the terminal's
 * default); BOLD for the "bright" colours. */
void colors_of(const PostieConfig *cfg, UiColor c, short *fg, short *bg,
               gboolean *bold);
/* Parse "fg [bg]" ("brightred", "color123", "default"); FALSE if bad. */
gboolean colors_parse_pair(const char *spec, short *fg, short *bg,
                           gboolean *bold);
/* Check [colors]: unknown elements, bad colours (as ConfProblem*). */
void colors_check(const PostieConfig *cfg, GPtrArray *problems);

/* ---- layout (layout.c) ------------------------------------------------- */

typedef enum { PREVIEW_BELOW, PREVIEW_RIGHT, PREVIEW_OFF } PreviewMode;

typedef struct { int y, x, h, w; } Rect;

typedef struct {
    Rect hint, status, message;    /* one line each */
    Rect folders;                  /* w == 0 when hidden */
    Rect list;
    Rect divider;                  /* line between list and preview */
    Rect preview;                  /* h or w == 0 when off */
} Layout;

void layout_compute(Layout *l, int lines, int cols, gboolean folders,
                    PreviewMode mode, int preview_percent);

/* ---- the message list's order (sort.c, threads.c, tags.c) ------------ */

typedef enum { SORT_DATE, SORT_SENDER, SORT_SUBJECT, SORT_SIZE, SORT_COUNT } SortKey;

/* Display order over a folder, with per-message keys computed once. */
typedef struct {
    StoreFolder *folder;
    guint n;                 /* messages indexed (store_folder_count) */
    guint *order;            /* view row -> message index */
    guint8 *depth;           /* view row -> thread depth (threads on) */
    int *row_of;             /* message index -> view row */
    char **sender_key;       /* casefolded, computed lazily */
    char **subject_key;      /* casefolded, "Re:" stripped, lazily */
    SortKey sort;
    gboolean reverse;
    gboolean threads;
    guint rows;              /* rows shown: all messages, or the limit's */
    Pattern *limit;          /* NULL: no limit (ui/limit.c) */
    char *limit_text;
    GError *limit_error;     /* the limit's folder scan failed (shown once) */
    guint64 generation;      /* bumped whenever the messages change */
    guint8 *tagged;          /* message index -> tagged (tags.c) */
    guint ntagged;
    GHashTable *tag_ids;     /* tags by message identity: survive refreshes */
} MsgView;

void view_init(MsgView *v, StoreFolder *f, SortKey sort, gboolean threads);
void view_clear(MsgView *v);
/* Recompute order after a change of sort or threading, or (CONTENTS)
 * after the folder's messages changed, which drops the computed keys. */
void view_rebuild(MsgView *v, gboolean contents);
/* Row showing message index IDX, or -1. */
int view_row_of(const MsgView *v, guint idx);
/* The next row after FROM (before it when BACKWARD, wrapping) whose
 * message matches P; -1 if none (*ERROR set if the folder scan failed). */
int view_search(MsgView *v, Pattern *p, int from, gboolean backward, GError **error);
/* What patterns of this view match against (tags, generation). */
PatternTarget view_target(const MsgView *v);
const char *sort_name(SortKey s);
gboolean sort_from_name(const char *name, SortKey *out);
/* Put the thread order into v->order / v->depth (threads.c). */
void threads_order(MsgView *v);
/* Compare messages A and B by the view's sort key (sort.c). */
int view_compare(MsgView *v, guint a, guint b);
void view_ensure_keys(MsgView *v, SortKey s);
/* Tags by message identity (tags.c): drop them all; after the folder
 * changed, re-find the tagged messages; tag or untag message I. */
void tags_clear(MsgView *v);
void tags_rebuild(MsgView *v);
void tags_set(MsgView *v, guint i, gboolean on);

#endif
