/* The address book view: the contacts and groups of abook/, filtered as
 * the user types a search; add, edit and delete a contact, merge
 * duplicates, and write to the selected contact or group.  Every change
 * is saved at once (abook_save), so the file on disk is always what the
 * screen shows, and compose, which opens the book itself, sees it. */
#include <config.h>

#include <string.h>

#include "abook/abook.h"
#include "ui/private.h"

typedef struct {
    Ui *ui;
    Abook *ab;
    GString *query;          /* the search, as typed */
    gboolean searching;      /* keys go to the search */
    GPtrArray *found;        /* AbookContact*, borrowed from the book */
    int sel, top;
} AbookView;

/* Rebuild the list for the query; keep KEEP selected when it is still
 * there, else the row number. */
static void
refilter(AbookView *v, const AbookContact *keep)
{
    if (v->found)
        g_ptr_array_unref(v->found);
    v->found = abook_search(v->ab, v->query->str);
    for (guint i = 0; keep && i < v->found->len; i++)
        if (v->found->pdata[i] == keep) {
            v->sel = (int)i;
            return;
        }
    v->sel = CLAMP(v->sel, 0, MAX((int)v->found->len - 1, 0));
}

static AbookContact *
selected(AbookView *v)
{
    if (!v->found || v->sel < 0 || (guint)v->sel >= v->found->len)
        return NULL;
    return v->found->pdata[v->sel];
}

static gboolean
save(AbookView *v)
{
    g_autoptr(GError) error = NULL;
    if (abook_save(v->ab, &error))
        return TRUE;
    ui_error(v->ui, "%s", error->message);
    return FALSE;
}

static char *
join_nicknames(const AbookContact *c)
{
    GString *s = g_string_new(NULL);
    for (guint k = 0; k < c->nicknames->len; k++)
        g_string_append_printf(s, "%s%s", k ? ", " : "", (char *)c->nicknames->pdata[k]);
    return g_string_free(s, FALSE);
}

static char *
join_addresses(const AbookContact *c)
{
    GString *s = g_string_new(NULL);
    for (guint k = 0; k < c->emails->len; k++)
        g_string_append_printf(s, "%s%s", k ? ", " : "",
                               ((AbookEmail *)c->emails->pdata[k])->address);
    return g_string_free(s, FALSE);
}

static void
draw_row(AbookView *v, int y, const AbookContact *c, int name_w, int addr_w, int nick_w)
{
    draw_text(y, 0, c->is_group ? "G " : "  ", 2, FALSE);
    draw_untrusted(y, 2, c->fn ? c->fn : "", name_w - 1, TRUE);
    draw_text(y, 2 + name_w - 1, " ", 1, FALSE);
    g_autofree char *addr = NULL;
    if (c->is_group) {
        g_autoptr(GPtrArray) members = abook_expand(v->ab, c->fn);
        guint n = members ? members->len : 0;
        addr = g_strdup_printf(g_dngettext(PACKAGE, "(group: %u member)",
                                           "(group: %u members)", n), n);
    } else {
        const char *p = abook_contact_primary(c);
        addr = c->emails->len > 1 ? g_strdup_printf("%s (+%u)", p ? p : "", c->emails->len - 1)
                                  : g_strdup(p ? p : "");
    }
    draw_untrusted(y, 2 + name_w, addr, addr_w - 1, TRUE);
    draw_text(y, 2 + name_w + addr_w - 1, " ", 1, FALSE);
    g_autofree char *nick = join_nicknames(c);
    draw_untrusted(y, 2 + name_w + addr_w, nick, nick_w, TRUE);
}

static void
draw_view(AbookView *v)
{
    Ui *ui = v->ui;
    layout_compute(&ui->layout, LINES, COLS, FALSE, PREVIEW_OFF, 50);
    erase();
    g_autofree char *kq = keymap_first_key(ui->keys, ACT_QUIT);
    g_autofree char *ks = keymap_first_key(ui->keys, ACT_SEARCH);
    g_autofree char *kd = keymap_first_key(ui->keys, ACT_DELETE);
    g_autofree char *km = keymap_first_key(ui->keys, ACT_COMPOSE);
    g_autofree char *hint = g_strdup_printf(_("Address book  %s:Back  %s:Search  a:Add  "
                                              "e:Edit  %s:Delete  M:Merge duplicates  %s:Mail"),
                                            kq, ks, kd, km);
    attrset(colors_attr(COL_HINT));
    draw_text(0, 0, hint, COLS, TRUE);

    int avail = MAX(COLS - 2, 3);
    int name_w = MAX(avail * 35 / 100, 1);
    int addr_w = MAX(avail * 40 / 100, 1);
    int nick_w = MAX(avail - name_w - addr_w, 0);
    attrset(colors_attr(COL_HEADER));
    draw_text(1, 0, "  ", 2, FALSE);
    draw_text(1, 2, _("Name"), name_w, TRUE);
    draw_text(1, 2 + name_w, _("Address"), addr_w, TRUE);
    draw_text(1, 2 + name_w + addr_w, _("Nickname"), nick_w, TRUE);
    attrset(A_NORMAL);

    int h = MAX(LINES - 4, 1);
    int n = (int)v->found->len;
    if (v->sel < v->top)
        v->top = v->sel;
    if (v->sel >= v->top + h)
        v->top = v->sel - h + 1;
    v->top = CLAMP(v->top, 0, MAX(n - h, 0));
    for (int r = 0; r < h && v->top + r < n; r++) {
        int i = v->top + r;
        attrset(i == v->sel ? colors_attr(COL_INDICATOR) : A_NORMAL);
        draw_row(v, 2 + r, v->found->pdata[i], name_w, addr_w, nick_w);
    }
    attrset(A_NORMAL);
    if (n == 0)
        draw_text(2, 2, v->query->len ? _("(nothing matches)") : _("(no contacts yet)"),
                  COLS - 2, FALSE);

    GString *st = g_string_new(NULL);
    g_string_printf(st, _("-- address book: %u shown of %u"), v->found->len, abook_count(v->ab));
    if (v->query->len) {
        g_autofree char *q = term_safe(v->query->str, -1, TERM_SAFE_DEFAULT);
        g_string_append_printf(st, _(", search \"%s\""), q);
    }
    g_string_append_printf(st, "%s --", ui->progress ? ui->progress : "");
    attrset(colors_attr(COL_STATUS));
    draw_text(LINES - 2, 0, st->str, COLS, TRUE);
    attrset(A_NORMAL);
    g_string_free(st, TRUE);

    if (v->searching) {
        g_autofree char *q = term_safe(v->query->str, -1, TERM_SAFE_DEFAULT);
        g_autofree char *line = g_strdup_printf(_("Search: %s"), q);
        draw_text(LINES - 1, 0, line, COLS, TRUE);
        curs_set(1);
        move(LINES - 1, MIN(draw_width(line), COLS - 1));
    } else {
        curs_set(0);
        message_draw(ui);
    }
    refresh();
}

/* ---- the form ------------------------------------------------------------ */

/* Ask one field; NULL when cancelled. */
static char *
ask(AbookView *v, const char *question, const char *initial)
{
    char *s = prompt_line(v->ui, question, initial, NULL, NULL);
    return s ? g_strstrip(s) : NULL;
}

/* Split a list typed by the user at commas, semicolons and spaces. */
static GPtrArray *
split_list(const char *text, const char *seps)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) parts = g_strsplit_set(text, seps, -1);
    for (int i = 0; parts[i]; i++)
        if (*g_strstrip(parts[i]))
            g_ptr_array_add(out, g_strdup(parts[i]));
    return out;
}

/* The structured name from a full name: the last word is the family name. */
static void
set_name(AbookContact *c, const char *name)
{
    g_free(c->fn);
    c->fn = *name ? g_strdup(name) : NULL;
    g_clear_pointer(&c->family, g_free);
    g_clear_pointer(&c->given, g_free);
    g_clear_pointer(&c->additional, g_free);
    g_clear_pointer(&c->prefix, g_free);
    g_clear_pointer(&c->suffix, g_free);
    if (!*name || strchr(name, '@'))
        return;
    const char *sp = strrchr(name, ' ');
    if (sp) {
        c->given = g_strndup(name, (gsize)(sp - name));
        c->family = g_strdup(sp + 1);
    } else {
        c->given = g_strdup(name);
    }
}

/* Add (C == NULL) or edit a contact: name, addresses, nicknames.  For a
 * group only the name.  Nothing changes unless every field is good. */
static void
contact_form(AbookView *v, AbookContact *c)
{
    Ui *ui = v->ui;
    g_autofree char *name = ask(v, _("Name: "), c ? c->fn : NULL);
    if (!name)
        return;
    if (c && c->is_group) {
        if (!*name) {
            ui_error(ui, _("A group needs a name."));
            return;
        }
        g_free(c->fn);
        c->fn = g_strdup(name);
        abook_changed(v->ab, c);
        if (save(v))
            ui_message(ui, _("Saved the group %s."), c->fn);
        refilter(v, c);
        return;
    }
    g_autofree char *old_addr = c ? join_addresses(c) : NULL;
    g_autofree char *addr_text = ask(v, _("Addresses (separated by commas): "), old_addr);
    if (!addr_text)
        return;
    g_autofree char *old_nick = c ? join_nicknames(c) : NULL;
    g_autofree char *nick_text = ask(v, _("Nicknames (separated by commas): "), old_nick);
    if (!nick_text)
        return;

    g_autoptr(GPtrArray) addrs = split_list(addr_text, ",; \t");
    g_autoptr(GPtrArray) nicks = split_list(nick_text, ",;");
    for (guint i = 0; i < addrs->len; i++) {
        const char *a = addrs->pdata[i];
        g_autofree char *safe = term_safe(a, -1, TERM_SAFE_DEFAULT);
        if (!abook_address_valid(a)) {
            ui_error(ui, _("\"%s\" is not a mail address; nothing was changed."), safe);
            return;
        }
        AbookContact *other = abook_find_address(v->ab, a);
        if (other && other != c) {
            ui_error(ui, _("%s belongs to %s already; nothing was changed."), safe, other->fn);
            return;
        }
    }
    if (!*name && addrs->len == 0) {
        ui_error(ui, _("Give a name or an address; nothing was changed."));
        return;
    }

    gboolean is_new = c == NULL;
    if (is_new)
        c = abook_contact_new();
    if (is_new || g_strcmp0(name, c->fn) != 0)
        set_name(c, name);
    /* Keep the addresses that stay (with their type and preference). */
    for (guint k = 0; k < c->emails->len;) {
        const char *have = ((AbookEmail *)c->emails->pdata[k])->address;
        gboolean keep = FALSE;
        for (guint i = 0; i < addrs->len && !keep; i++)
            keep = g_ascii_strcasecmp(have, addrs->pdata[i]) == 0;
        if (keep)
            k++;
        else
            g_ptr_array_remove_index(c->emails, k);
    }
    for (guint i = 0; i < addrs->len; i++)
        abook_contact_add_email(c, addrs->pdata[i], NULL, 0);
    g_ptr_array_set_size(c->nicknames, 0);
    for (guint i = 0; i < nicks->len; i++)
        abook_contact_add_nickname(c, nicks->pdata[i]);
    if (is_new)
        abook_add(v->ab, c);
    else
        abook_changed(v->ab, c);
    if (save(v))
        ui_message(ui, is_new ? _("Added %s.") : _("Saved %s."), c->fn);
    refilter(v, c);
}

/* ---- actions ------------------------------------------------------------- */

static void
delete_selected(AbookView *v)
{
    AbookContact *c = selected(v);
    if (!c)
        return;
    g_autofree char *name = term_safe(c->fn ? c->fn : "", -1, TERM_SAFE_DEFAULT);
    g_autofree char *q = g_strdup_printf(c->is_group ? _("Delete the group %s?")
                                                     : _("Delete %s?"), name);
    if (!prompt_yesno(v->ui, q, FALSE))
        return;
    abook_remove(v->ab, c);   /* frees C: the list is rebuilt before any use */
    g_ptr_array_set_size(v->found, 0);
    if (save(v))
        ui_message(v->ui, _("Deleted %s."), name);
    refilter(v, NULL);
}

static void
merge_duplicates(AbookView *v)
{
    g_ptr_array_set_size(v->found, 0);   /* pointers may go */
    guint n = abook_merge_duplicates(v->ab);
    if (n == 0)
        ui_message(v->ui, _("No duplicates found."));
    else if (save(v))
        ui_message(v->ui, g_dngettext(PACKAGE, "Merged %u duplicate contact.",
                                      "Merged %u duplicate contacts.", n), n);
    refilter(v, NULL);
}

static void
mail_selected(AbookView *v)
{
    AbookContact *c = selected(v);
    if (!c)
        return;
    g_autofree char *to = NULL;
    if (c->is_group) {
        to = g_strdup(c->fn);   /* expanded to its members when sent */
    } else {
        const char *p = abook_contact_primary(c);
        if (!p) {
            ui_error(v->ui, _("This contact has no mail address."));
            return;
        }
        to = abook_format_address(c->fn, p);
    }
    compose_to(v->ui, to);
}

/* Search mode: each key changes the query and the list follows. */
static gboolean
search_key(AbookView *v, int key)
{
    AbookContact *keep = selected(v);
    if (key == 27 || key == 7) {             /* Esc, ^G: drop the search */
        g_string_truncate(v->query, 0);
        v->searching = FALSE;
    } else if (key == '\n' || key == '\r' || key == (UI_KEY_FUNC | KEY_ENTER)) {
        v->searching = FALSE;
        return TRUE;
    } else if (key == (UI_KEY_FUNC | KEY_BACKSPACE) || key == 127 || key == 8) {
        if (v->query->len) {
            const char *end = v->query->str + v->query->len;
            const char *prev = g_utf8_find_prev_char(v->query->str, end);
            g_string_truncate(v->query, prev ? (gsize)(prev - v->query->str) : 0);
        }
    } else if (key == 21) {                  /* ^U */
        g_string_truncate(v->query, 0);
    } else if (key == (UI_KEY_FUNC | KEY_DOWN)) {
        v->sel = MIN(v->sel + 1, MAX((int)v->found->len - 1, 0));
        return TRUE;
    } else if (key == (UI_KEY_FUNC | KEY_UP)) {
        v->sel = MAX(v->sel - 1, 0);
        return TRUE;
    } else if (!(key & UI_KEY_FUNC) && key >= 0x20 && key != 0x7f) {
        g_string_append_unichar(v->query, (gunichar)key);
    } else {
        return FALSE;
    }
    refilter(v, keep);
    return TRUE;
}

void
abookview_run(Ui *ui)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    Abook *ab = abook_open(NULL, &problems, &error);
    if (!ab) {
        ui_error(ui, "%s", error->message);
        return;
    }
    AbookView v = { .ui = ui, .ab = ab, .query = g_string_new(NULL) };
    refilter(&v, NULL);
    if (problems && problems->len)
        ui_error(ui, "%s", (char *)problems->pdata[0]);
    for (;;) {
        draw_view(&v);
        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_EXIT))
            break;
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
        if (v.searching) {
            search_key(&v, key);
            continue;
        }
        g_clear_pointer(&ui->message, g_free);
        UiAction a = keymap_lookup(ui->keys, key);
        int page = MAX(LINES - 5, 1);
        switch (key) {
        case 'a': contact_form(&v, NULL); continue;
        case 'e': case '\n': case '\r':
            if (selected(&v))
                contact_form(&v, selected(&v));
            continue;
        case 'M': merge_duplicates(&v); continue;
        default: break;
        }
        if (a == ACT_QUIT || key == 27)
            break;
        switch (a) {
        case ACT_DOWN: v.sel++; break;
        case ACT_UP: v.sel--; break;
        case ACT_PAGE_DOWN: v.sel += page; break;
        case ACT_PAGE_UP: v.sel -= page; break;
        case ACT_FIRST: v.sel = 0; break;
        case ACT_LAST: v.sel = (int)v.found->len - 1; break;
        case ACT_SEARCH: v.searching = TRUE; break;
        case ACT_DELETE: delete_selected(&v); break;
        case ACT_COMPOSE: mail_selected(&v); break;
        default: break;
        }
        v.sel = CLAMP(v.sel, 0, MAX((int)v.found->len - 1, 0));
    }
    curs_set(0);
    g_ptr_array_unref(v.found);
    g_string_free(v.query, TRUE);
    abook_free(ab);
}
