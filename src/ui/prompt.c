/* Questions on the message line: a small line editor with completion
 * (Tab), yes/no and one-of-several questions. */
#include <config.h>

#include <string.h>
#include <wchar.h>

#include "ui/private.h"

static char *
common_prefix(GPtrArray *items)
{
    if (!items || items->len == 0)
        return g_strdup("");
    const char *first = items->pdata[0];
    gsize n = strlen(first);
    for (guint i = 1; i < items->len; i++) {
        const char *s = items->pdata[i];
        gsize k = 0;
        while (k < n && s[k] == first[k])
            k++;
        n = k;
    }
    /* do not cut a UTF-8 sequence */
    while (n > 0 && (first[n] & 0xC0) == 0x80)
        n--;
    return g_strndup(first, n);
}

/* The candidates for the status line, CURRENT (if >= 0) in brackets. */
static char *
candidates_hint(GPtrArray *items, int current)
{
    GString *h = g_string_new(NULL);
    for (guint i = 0; i < items->len && h->len < 1000; i++)
        g_string_append_printf(h, (int)i == current ? "[%s]  " : "%s  ",
                               (char *)items->pdata[i]);
    char *safe = term_safe(h->str, -1, TERM_SAFE_DEFAULT);
    g_string_free(h, TRUE);
    return safe;
}

static void
set_text(GArray *buf, const char *text)
{
    g_array_set_size(buf, 0);
    if (!g_utf8_validate(text, -1, NULL))
        return;
    glong n;
    gunichar *u = g_utf8_to_ucs4_fast(text, -1, &n);
    g_array_append_vals(buf, u, (guint)n);
    g_free(u);
}

char *
prompt_line(Ui *ui, const char *question, const char *initial,
            CompleteFunc complete, gpointer data)
{
    return prompt_line_full(ui, question, initial, complete, data, FALSE);
}

char *
prompt_line_full(Ui *ui, const char *question, const char *initial,
                 CompleteFunc complete, gpointer data, gboolean secret)
{
    GArray *buf = g_array_new(TRUE, TRUE, sizeof(gunichar));
    if (initial && g_utf8_validate(initial, -1, NULL)) {
        glong n;
        gunichar *u = g_utf8_to_ucs4_fast(initial, -1, &n);
        g_array_append_vals(buf, u, (guint)n);
        g_free(u);
    }
    guint cur = buf->len;
    char *result = NULL;
    g_autofree char *hint = NULL;
    /* Tab with nothing more in common steps through the candidates (a
     * contact with several addresses offers each); CYCLE_TEXT is what the
     * last step put in, so any other edit ends the cycle. */
    GPtrArray *cycle = NULL;
    int cycle_i = -1;        /* -1: the common part shown, none chosen */
    char *cycle_text = NULL;

    curs_set(1);
    for (;;) {
        g_autofree char *text = g_ucs4_to_utf8((gunichar *)buf->data, cur, NULL, NULL, NULL);
        g_autofree char *all = g_ucs4_to_utf8((gunichar *)buf->data, buf->len, NULL, NULL, NULL);
        g_autofree char *safe_all = secret ? g_strnfill(buf->len, '*')
                                           : term_safe(all, -1, TERM_SAFE_DEFAULT);
        g_autofree char *safe_pre = secret ? g_strnfill(cur, '*')
                                           : term_safe(text, -1, TERM_SAFE_DEFAULT);
        int qw = draw_width(question);
        int cols = ui->layout.message.w;
        int y = ui->layout.message.y;
        /* Scroll the input so the cursor stays on screen. */
        int avail = MAX(cols - qw - 1, 1);
        int cw = draw_width(safe_pre);
        const char *shown = safe_all;
        while (cw >= avail && *shown) {
            int w = wcwidth((wchar_t)g_utf8_get_char(shown));
            cw -= w < 0 ? 1 : w;
            shown = g_utf8_next_char(shown);
        }
        if (hint) {
            attrset(colors_attr(COL_STATUS));
            draw_text(ui->layout.status.y, 0, hint, ui->layout.status.w, TRUE);
        }
        attrset(A_NORMAL);
        draw_text(y, 0, question, cols, FALSE);
        draw_text(y, MIN(qw, cols - 1), shown, cols - MIN(qw, cols - 1), TRUE);
        move(y, MIN(qw + MAX(cw, 0), cols - 1));
        refresh();

        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_RESIZE)) {
            ui_redraw(ui);
            continue;
        }
        if (key == 27 || key == 7 || key == (UI_KEY_FUNC | KEY_EXIT)) {   /* Esc, ^G, no terminal */
            break;
        } else if (key == '\n' || key == '\r' || key == (UI_KEY_FUNC | KEY_ENTER)) {
            result = g_ucs4_to_utf8((gunichar *)buf->data, buf->len, NULL, NULL, NULL);
            break;
        } else if (key == (UI_KEY_FUNC | KEY_BACKSPACE) || key == 127 || key == 8) {
            if (cur > 0) {
                g_array_remove_index(buf, cur - 1);
                cur--;
            }
        } else if (key == (UI_KEY_FUNC | KEY_DC) || key == 4) {
            if (cur < buf->len)
                g_array_remove_index(buf, cur);
        } else if (key == (UI_KEY_FUNC | KEY_LEFT) || key == 2) {
            if (cur > 0)
                cur--;
        } else if (key == (UI_KEY_FUNC | KEY_RIGHT) || key == 6) {
            if (cur < buf->len)
                cur++;
        } else if (key == (UI_KEY_FUNC | KEY_HOME) || key == 1) {
            cur = 0;
        } else if (key == (UI_KEY_FUNC | KEY_END) || key == 5) {
            cur = buf->len;
        } else if (key == 21) {              /* ^U */
            g_array_set_size(buf, 0);
            cur = 0;
        } else if (key == '\t' && complete && cycle && !g_strcmp0(all, cycle_text)) {
            cycle_i = (cycle_i + 1) % (int)cycle->len;
            set_text(buf, cycle->pdata[cycle_i]);
            cur = buf->len;
            g_free(cycle_text);
            cycle_text = g_strdup(cycle->pdata[cycle_i]);
            g_free(hint);
            hint = candidates_hint(cycle, cycle_i);
        } else if (key == '\t' && complete) {
            g_autoptr(GPtrArray) items = complete(all, data);
            g_clear_pointer(&cycle, g_ptr_array_unref);
            if (items && items->len > 0) {
                g_autofree char *prefix = common_prefix(items);
                if (g_utf8_validate(prefix, -1, NULL) && strlen(prefix) >= strlen(all)) {
                    glong n;
                    gunichar *u = g_utf8_to_ucs4_fast(prefix, -1, &n);
                    g_array_set_size(buf, 0);
                    g_array_append_vals(buf, u, (guint)n);
                    g_free(u);
                    cur = buf->len;
                }
                if (items->len > 1) {
                    g_free(hint);
                    hint = candidates_hint(items, -1);
                    /* The next Tab takes the first candidate, and so on. */
                    cycle = g_ptr_array_ref(items);
                    cycle_i = -1;
                    g_free(cycle_text);
                    cycle_text = g_ucs4_to_utf8((gunichar *)buf->data, buf->len, NULL, NULL,
                                                NULL);
                }
            } else {
                beep();
            }
        } else if (!(key & UI_KEY_FUNC) && key >= 0x20 && key != 0x7f) {
            gunichar c = (gunichar)key;
            g_array_insert_val(buf, cur, c);
            cur++;
        }
    }
    curs_set(0);
    if (cycle)
        g_ptr_array_unref(cycle);
    g_free(cycle_text);
    g_array_free(buf, TRUE);
    draw_clear(ui->layout.message.y, 0, 1, ui->layout.message.w);
    return result;
}

int
prompt_choice(Ui *ui, const char *question, const char *choices)
{
    for (;;) {
        attrset(A_NORMAL);
        draw_text(ui->layout.message.y, 0, question, ui->layout.message.w, TRUE);
        refresh();
        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_RESIZE)) {
            ui_redraw(ui);
            continue;
        }
        if (key == 27 || key == 7 || key == (UI_KEY_FUNC | KEY_EXIT))
            return 0;
        if (key > 0 && key < 128 && strchr(choices, key))
            return key;
        if (key == '\n' && strchr(choices, '\n'))
            return '\n';
    }
}

gboolean
prompt_yesno(Ui *ui, const char *question, gboolean def)
{
    g_autofree char *q = g_strdup_printf("%s %s ", question, def ? _("([y]/n)") : _("(y/[n])"));
    int k = prompt_choice(ui, q, "yYnN\n");
    if (k == '\n')
        return def;
    return k == 'y' || k == 'Y';
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Complete a file path: entries of the directory part that start with
 * the last component. */
GPtrArray *
complete_path(const char *text, gpointer data)
{
    g_autofree char *expanded = paths_expand_home(text);
    g_autofree char *dir = NULL;
    const char *slash = strrchr(expanded, '/');
    const char *base = slash ? slash + 1 : expanded;
    dir = slash ? g_strndup(expanded, (gsize)(slash - expanded + 1)) : g_strdup("");
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    GDir *d = g_dir_open(*dir ? dir : ".", 0, NULL);
    if (!d)
        return out;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        if (!g_str_has_prefix(name, base))
            continue;
        if (name[0] == '.' && base[0] != '.')
            continue;
        char *full = g_strconcat(dir, name, NULL);
        if (g_file_test(full, G_FILE_TEST_IS_DIR)) {
            char *with = g_strconcat(full, "/", NULL);
            g_free(full);
            full = with;
        }
        g_ptr_array_add(out, full);
    }
    g_dir_close(d);
    g_ptr_array_sort(out, compare_strings);
    return out;
}
