/* Actions and the keys that run them: mutt-like defaults, rebindable in
 * the [keys] group of the configuration ("action = key key ..."). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "view/view.h"

static const ActionInfo actions[] = {
    { ACT_UP, "up", "k <Up>", N_("previous message") },
    { ACT_DOWN, "down", "j <Down>", N_("next message") },
    { ACT_PAGE_UP, "page-up", "<PageUp> -", N_("previous page") },
    { ACT_PAGE_DOWN, "page-down", "<PageDown> <Space>", N_("next page") },
    { ACT_FIRST, "first", "<Home> =", N_("first message") },
    { ACT_LAST, "last", "<End> *", N_("last message") },
    { ACT_OPEN, "open", "<Enter>", N_("read the message in the pager") },
    { ACT_QUIT, "quit", "q", N_("quit (or leave the pager, help, ...)") },
    { ACT_COMPOSE, "compose", "m", N_("write a new message") },
    { ACT_REPLY, "reply", "r", N_("reply to the sender") },
    { ACT_REPLY_ALL, "reply-all", "g", N_("reply to all recipients") },
    { ACT_FORWARD, "forward", "f", N_("forward the message") },
    { ACT_DELETE, "delete", "d", N_("mark for deletion") },
    { ACT_UNDELETE, "undelete", "u", N_("remove the deletion mark") },
    { ACT_SAVE, "save", "s", N_("move the message to another folder") },
    { ACT_CHANGE_FOLDER, "change-folder", "c", N_("open another folder") },
    { ACT_SEARCH, "search", "/", N_("search senders and subjects") },
    { ACT_SEARCH_NEXT, "search-next", "n", N_("next match of the search") },
    { ACT_SYNC, "sync", "$", N_("write flags and expunge deleted messages") },
    { ACT_FETCH, "fetch", "G", N_("fetch new mail now") },
    { ACT_ADD_SENDER, "add-sender", "a", N_("add the sender to the address book") },
    { ACT_ADDRESS_BOOK, "address-book", "A", N_("the address book: search, add, edit, delete, merge") },
    { ACT_HELP, "help", "?", N_("show these key bindings") },
    { ACT_SORT, "sort", "o", N_("change the sort order") },
    { ACT_THREADS, "threads", "V", N_("show threads on or off") },
    { ACT_TOGGLE_FOLDERS, "folder-list", "B", N_("show or hide the folder list") },
    { ACT_PREVIEW_LAYOUT, "preview-layout", "P", N_("preview below, beside, or off") },
    { ACT_PREVIEW_GROW, "preview-grow", "+", N_("make the preview larger") },
    { ACT_PREVIEW_SHRINK, "preview-shrink", "_", N_("make the preview smaller") },
    { ACT_PREVIEW_DOWN, "preview-down", "J", N_("scroll the preview down") },
    { ACT_PREVIEW_UP, "preview-up", "K", N_("scroll the preview up") },
    { ACT_ATTACHMENTS, "attachments", "v", N_("list, save or open attachments") },
    { ACT_FLAG, "flag", "F", N_("flag or unflag the message") },
    { ACT_TOGGLE_READ, "toggle-read", "N", N_("mark read or unread") },
    { ACT_MARK_DOWNLOAD, "mark-download", "D", N_("headers only: download the body at the next fetch") },
    { ACT_MARK_SERVER_DELETE, "mark-server-delete", "X", N_("delete from the server at the next fetch") },
    { ACT_SEND_OUTBOX, "send-outbox", "S", N_("send the messages waiting in the Outbox") },
    { ACT_REDRAW, "redraw", "^L", N_("redraw the screen") },
    { ACT_SEARCH_REVERSE, "search-reverse", "M-/", N_("search backwards (patterns as for search)") },
    { ACT_SEARCH_OPPOSITE, "search-opposite", "", N_("repeat the search the other way") },
    { ACT_LIMIT, "limit", "l", N_("show only messages matching a pattern (all: every one)") },
    { ACT_TAG, "tag", "t", N_("tag or untag the message") },
    { ACT_TAG_PATTERN, "tag-pattern", "T", N_("tag the messages matching a pattern") },
    { ACT_UNTAG_PATTERN, "untag-pattern", "^T", N_("untag the messages matching a pattern") },
    { ACT_TAG_PREFIX, "tag-prefix", ";", N_("apply the next action to the tagged messages") },
    { ACT_PIPE, "pipe", "|", N_("pipe the message to a command") },
    { ACT_NEXT_UNREAD, "next-unread", "<Tab>", N_("next unread message") },
    { ACT_MARK_ALL_READ, "mark-all-read", "^R", N_("mark every message of the folder read") },
    { ACT_FOLDER_PANE, "folder-pane", "<Left>", N_("move the cursor into the folder list") },
    { ACT_TOGGLE_HEADERS, "toggle-headers", "h", N_("show all header lines or the usual few") },
    { ACT_MESSAGE_LOG, "message-log", "M", N_("show the recent messages and errors with their times") },
};

G_STATIC_ASSERT(G_N_ELEMENTS(actions) == ACT_COUNT - 1);

struct Keymap {
    GHashTable *by_key;      /* key (int) -> action (int) */
    GPtrArray *keys[ACT_COUNT];  /* action -> GArray-like list of ints */
};

const ActionInfo *
keymap_actions(void)
{
    return actions;
}

const ActionInfo *
keymap_action_info(UiAction a)
{
    for (gsize i = 0; i < G_N_ELEMENTS(actions); i++)
        if (actions[i].action == a)
            return &actions[i];
    return NULL;
}

static const struct { const char *name; int key; } named_keys[] = {
    { "Up", UI_KEY_FUNC | KEY_UP }, { "Down", UI_KEY_FUNC | KEY_DOWN },
    { "Left", UI_KEY_FUNC | KEY_LEFT }, { "Right", UI_KEY_FUNC | KEY_RIGHT },
    { "PageUp", UI_KEY_FUNC | KEY_PPAGE }, { "PageDown", UI_KEY_FUNC | KEY_NPAGE },
    { "Home", UI_KEY_FUNC | KEY_HOME }, { "End", UI_KEY_FUNC | KEY_END },
    { "Insert", UI_KEY_FUNC | KEY_IC }, { "Delete", UI_KEY_FUNC | KEY_DC },
    { "Backspace", UI_KEY_FUNC | KEY_BACKSPACE },
    { "Enter", '\n' }, { "Return", '\r' }, { "Tab", '\t' }, { "Space", ' ' },
    { "Esc", 27 },
};

int
keymap_parse_key(const char *spec)
{
    gsize len = strlen(spec);
    if (len == 0)
        return UI_KEY_NONE;
    if (spec[0] == '<' && spec[len - 1] == '>' && len > 2) {
        g_autofree char *name = g_strndup(spec + 1, len - 2);
        for (gsize i = 0; i < G_N_ELEMENTS(named_keys); i++)
            if (!g_ascii_strcasecmp(name, named_keys[i].name))
                return named_keys[i].key;
        if ((name[0] == 'F' || name[0] == 'f') && name[1]) {
            char *end;
            long n = strtol(name + 1, &end, 10);
            if (*end == '\0' && n >= 1 && n <= 24)
                return UI_KEY_FUNC | KEY_F((int)n);
        }
        return UI_KEY_NONE;
    }
    /* Meta (Alt, or Esc then the key): M-x. */
    if (len > 2 && spec[0] == 'M' && spec[1] == '-') {
        int k = keymap_parse_key(spec + 2);
        return k == UI_KEY_NONE || (k & (UI_KEY_FUNC | UI_KEY_META)) ? UI_KEY_NONE
                                                                    : (k | UI_KEY_META);
    }
    /* Control keys: ^X or C-x. */
    if ((len == 2 && spec[0] == '^') || (len == 3 && spec[0] == 'C' && spec[1] == '-')) {
        char c = g_ascii_toupper(spec[len - 1]);
        if (c >= '@' && c <= '_')
            return c - '@';
        return UI_KEY_NONE;
    }
    /* One printable character (UTF-8). */
    if (!g_utf8_validate(spec, -1, NULL) || g_utf8_strlen(spec, -1) != 1)
        return UI_KEY_NONE;
    gunichar c = g_utf8_get_char(spec);
    if (c < 0x20 || c == 0x7f)
        return UI_KEY_NONE;
    return (int)c;
}

char *
keymap_key_name(int key)
{
    if (key == '\r')
        return g_strdup("<Return>");
    if (key != UI_KEY_NONE && (key & UI_KEY_META)) {
        g_autofree char *base = keymap_key_name(key & ~UI_KEY_META);
        return g_strdup_printf("M-%s", base);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(named_keys); i++)
        if (named_keys[i].key == key)
            return g_strdup_printf("<%s>", named_keys[i].name);
    if (key & UI_KEY_FUNC) {
        int code = key & ~UI_KEY_FUNC;
        if (code >= KEY_F(1) && code <= KEY_F(24))
            return g_strdup_printf("<F%d>", code - KEY_F0);
        return g_strdup_printf("<key %d>", code);
    }
    if (key < 0x20)
        return g_strdup_printf("^%c", key + '@');
    char buf[8] = { 0 };
    g_unichar_to_utf8((gunichar)key, buf);
    return g_strdup(buf);
}

static void
bind(Keymap *km, UiAction a, int key)
{
    /* A key runs one action: a new binding takes it from the old one. */
    gpointer old;
    if (g_hash_table_lookup_extended(km->by_key, GINT_TO_POINTER(key), NULL, &old)) {
        GPtrArray *list = km->keys[GPOINTER_TO_INT(old)];
        g_ptr_array_remove(list, GINT_TO_POINTER(key));
    }
    g_hash_table_insert(km->by_key, GINT_TO_POINTER(key), GINT_TO_POINTER(a));
    g_ptr_array_add(km->keys[a], GINT_TO_POINTER(key));
}

static UiAction
action_by_name(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(actions); i++)
        if (!g_ascii_strcasecmp(actions[i].name, name))
            return actions[i].action;
    return ACT_NONE;
}

static void
problem(GPtrArray *problems, const PostieConfig *cfg, const char *key,
        char *msg)
{
    if (problems)
        conf_problem_add(problems, CONF_ERROR, cfg->path, conf_line_of(cfg, "keys", key),
                         key, msg);
    else
        g_free(msg);
}

Keymap *
keymap_new(const PostieConfig *cfg, GPtrArray *problems)
{
    Keymap *km = g_new0(Keymap, 1);
    km->by_key = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (int a = 0; a < ACT_COUNT; a++)
        km->keys[a] = g_ptr_array_new();

    for (gsize i = 0; i < G_N_ELEMENTS(actions); i++) {
        g_auto(GStrv) specs = g_strsplit(actions[i].defaults, " ", -1);
        for (int k = 0; specs[k]; k++) {
            int key = keymap_parse_key(specs[k]);
            g_assert(key != UI_KEY_NONE);
            bind(km, actions[i].action, key);
        }
    }
    if (!cfg || !cfg->keys)
        return km;

    /* Sorted, so the result does not depend on hash order. */
    GList *names = g_list_sort(g_hash_table_get_keys(cfg->keys), (GCompareFunc)strcmp);
    for (GList *l = names; l; l = l->next) {
        const char *name = l->data;
        const char *value = g_hash_table_lookup(cfg->keys, name);
        UiAction a = action_by_name(name);
        if (a == ACT_NONE) {
            problem(problems, cfg, name,
                    g_strdup_printf(_("unknown action \"%s\" (see postie-keys(7))"), name));
            continue;
        }
        g_auto(GStrv) specs = g_strsplit_set(value, " \t", -1);
        GArray *parsed = g_array_new(FALSE, FALSE, sizeof(int));
        gboolean bad = FALSE;
        for (int k = 0; specs[k]; k++) {
            if (!*specs[k])
                continue;
            int key = keymap_parse_key(specs[k]);
            if (key == UI_KEY_NONE) {
                problem(problems, cfg, name,
                        g_strdup_printf(_("\"%s\" is not a key (a character, ^X, or a name such as <Down>)"),
                                        specs[k]));
                bad = TRUE;
                continue;
            }
            g_array_append_val(parsed, key);
        }
        if (parsed->len > 0 || !bad) {
            /* The configured keys replace the defaults of this action. */
            for (guint k = 0; k < km->keys[a]->len; k++)
                g_hash_table_remove(km->by_key, km->keys[a]->pdata[k]);
            g_ptr_array_set_size(km->keys[a], 0);
            for (guint k = 0; k < parsed->len; k++)
                bind(km, a, g_array_index(parsed, int, k));
        }
        g_array_free(parsed, TRUE);
    }
    g_list_free(names);
    return km;
}

void
keymap_free(Keymap *km)
{
    if (!km)
        return;
    g_hash_table_unref(km->by_key);
    for (int a = 0; a < ACT_COUNT; a++)
        g_ptr_array_unref(km->keys[a]);
    g_free(km);
}

UiAction
keymap_lookup(const Keymap *km, int key)
{
    gpointer a;
    if (key == '\r')
        key = '\n';  /* Enter arrives as either */
    if (g_hash_table_lookup_extended(km->by_key, GINT_TO_POINTER(key), NULL, &a))
        return GPOINTER_TO_INT(a);
    if (key == '\n' &&
        g_hash_table_lookup_extended(km->by_key, GINT_TO_POINTER('\r'), NULL, &a))
        return GPOINTER_TO_INT(a);
    if (key == (UI_KEY_FUNC | KEY_ENTER))
        return keymap_lookup(km, '\n');
    return ACT_NONE;
}

char *
keymap_keys_for(const Keymap *km, UiAction a)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < km->keys[a]->len; i++) {
        g_autofree char *name = keymap_key_name(GPOINTER_TO_INT(km->keys[a]->pdata[i]));
        if (s->len)
            g_string_append(s, ", ");
        g_string_append(s, name);
    }
    return g_string_free(s, FALSE);
}

char *
keymap_first_key(const Keymap *km, UiAction a)
{
    if (km->keys[a]->len == 0)
        return g_strdup("-");
    return keymap_key_name(GPOINTER_TO_INT(km->keys[a]->pdata[0]));
}
