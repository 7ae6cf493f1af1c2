/* postie list: one line per message of a folder, for people and scripts. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "util/util.h"

/* Flags as four columns: deleted, new/old, replied or flagged, partial
 * or attachment. */
static void
flags_columns(GString *out, const StoreMessage *m)
{
    g_string_append_c(out, (m->flags & MSG_DELETED) ? 'D' : ' ');
    if (m->flags & MSG_READ)
        g_string_append_c(out, ' ');
    else
        g_string_append_c(out, (m->flags & MSG_OLD) ? 'O' : 'N');
    if (m->flags & MSG_FLAGGED)
        g_string_append_c(out, '!');
    else
        g_string_append_c(out, (m->flags & MSG_REPLIED) ? 'r' : ' ');
    if (m->flags & MSG_PARTIAL)
        g_string_append_c(out, 'H');   /* as the screen marks it */
    else
        g_string_append_c(out, m->has_attachments ? '+' : ' ');
}

/* Flags as letters, for scripts: R O A F D H (read, old, answered,
 * flagged, deleted, headers only), "-" for none. */
static void
flags_letters(GString *out, const StoreMessage *m)
{
    gsize before = out->len;
    static const struct { guint32 f; char c; } map[] = {
        { MSG_READ, 'R' }, { MSG_OLD, 'O' }, { MSG_REPLIED, 'A' },
        { MSG_FLAGGED, 'F' }, { MSG_DELETED, 'D' }, { MSG_PARTIAL, 'H' },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(map); i++)
        if (m->flags & map[i].f)
            g_string_append_c(out, map[i].c);
    if (out->len == before)
        g_string_append_c(out, '-');
}

/* Local time as "YYYY-MM-DD HH:MM".  The offset from UTC is looked up
 * once per hour of time rather than per message: listing a big folder
 * spends its time here otherwise. */
static void
append_date(GString *out, gint64 t)
{
    static gint64 cached_hour = G_MININT64;
    static long cached_off;
    if (t == 0) {
        g_string_append(out, "                ");
        return;
    }
    gint64 hour = t / 3600;
    if (hour != cached_hour) {
        time_t tt = (time_t)t;
        struct tm lt;
        if (!localtime_r(&tt, &lt)) {
            g_string_append(out, "                ");
            return;
        }
        cached_off = lt.tm_gmtoff;
        cached_hour = hour;
    }
    time_t lt_t = (time_t)(t + cached_off);
    struct tm tm;
    if (!gmtime_r(&lt_t, &tm)) {
        g_string_append(out, "                ");
        return;
    }
    char buf[17];
    int y = tm.tm_year + 1900;
    if (y < 0 || y > 9999) {
        g_string_append(out, "                ");
        return;
    }
    int v[5] = { y, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min };
    buf[0] = (char)('0' + v[0] / 1000);
    buf[1] = (char)('0' + v[0] / 100 % 10);
    buf[2] = (char)('0' + v[0] / 10 % 10);
    buf[3] = (char)('0' + v[0] % 10);
    static const char sep[] = "-- :";
    for (int k = 1; k < 5; k++) {
        buf[4 + (k - 1) * 3] = sep[k - 1];
        buf[5 + (k - 1) * 3] = (char)('0' + v[k] / 10);
        buf[6 + (k - 1) * 3] = (char)('0' + v[k] % 10);
    }
    buf[16] = '\0';
    g_string_append_len(out, buf, 16);
}

/* Printable ASCII needs no cleaning; everything else goes through
 * term_safe. */
static gboolean
plain_ascii(const char *s, gsize len)
{
    for (gsize i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
            return FALSE;
    return TRUE;
}

static void
append_safe_len(GString *out, const char *s, gsize len)
{
    if (plain_ascii(s, len)) {
        g_string_append_len(out, s, (gssize)len);
        return;
    }
    g_autofree char *safe = term_safe(s, (gssize)len, 0);
    g_string_append(out, safe);
}

static void
append_safe(GString *out, const char *s)
{
    if (s)
        append_safe_len(out, s, strlen(s));
}

/* S[0..LEN) made safe, cut or padded to exactly COLS terminal columns. */
static void
append_column(GString *out, const char *s, gsize len, gsize cols)
{
    g_autofree char *safe = plain_ascii(s, len) ? NULL : term_safe(s, (gssize)len, 0);
    const char *p = safe ? safe : s, *end = safe ? safe + strlen(safe) : s + len;
    gsize used = 0;
    while (p < end) {
        gunichar c = g_utf8_get_char(p);
        const char *n = g_utf8_next_char(p);
        gsize w = c < 0x80 ? 1 : g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1;
        if (used + w > cols)
            break;
        g_string_append_len(out, p, n - p);
        used += w;
        p = n;
    }
    for (; used < cols; used++)
        g_string_append_c(out, ' ');
}

/* The sender as people read it: the name, or the address alone. */
static void
append_sender(GString *out, const char *from, gsize cols)
{
    if (!from)
        from = "";
    gsize len = strlen(from);
    const char *lt = strrchr(from, '<');
    if (lt && lt > from) {
        gsize n = (gsize)(lt - from);
        while (n > 0 && from[n - 1] == ' ')
            n--;
        if (n >= 2 && from[0] == '"' && from[n - 1] == '"')
            append_column(out, from + 1, n - 2, cols);
        else if (n > 0)
            append_column(out, from, n, cols);
        else
            append_column(out, from, len, cols);
        return;
    }
    append_column(out, from, len, cols);
}

static void
format_line(GString *out, const char *fmt, const StoreMessage *m, guint n)
{
    for (const char *p = fmt; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            g_string_append_c(out, *p == 't' ? '\t' : *p == 'n' ? '\n' : *p);
            continue;
        }
        if (*p != '%' || !p[1]) {
            g_string_append_c(out, *p);
            continue;
        }
        p++;
        switch (*p) {
        case 'n': g_string_append_printf(out, "%u", n); break;
        case 'f': flags_columns(out, m); break;
        case 'F': flags_letters(out, m); break;
        case 'd': append_date(out, m->date); break;
        case 'D': g_string_append_printf(out, "%" G_GINT64_FORMAT, m->date); break;
        case 's': append_safe(out, m->from); break;
        case 't': append_safe(out, m->to); break;
        case 'c': append_safe(out, m->cc); break;
        case 'S': append_safe(out, m->subject); break;
        case 'i': append_safe(out, m->message_id); break;
        case 'u': append_safe(out, m->uidl); break;
        case 'z': g_string_append_printf(out, "%" G_GUINT64_FORMAT, m->size); break;
        case 'o': g_string_append_printf(out, "%" G_GUINT64_FORMAT, m->offset); break;
        case 'a': g_string_append_c(out, m->has_attachments ? '1' : '0'); break;
        case '%': g_string_append_c(out, '%'); break;
        default: g_string_append_c(out, '%'); g_string_append_c(out, *p); break;
        }
    }
}

int
cmd_list(CmdContext *ctx, int argc, char **argv)
{
    char *folder = NULL, *format = NULL;
    GOptionEntry entries[] = {
        { "folder", 'f', 0, G_OPTION_ARG_FILENAME, &folder,
          N_("the folder to list: a name in the mail directory or a path (default Inbox)"),
          N_("NAME|PATH") },
        { "format", 0, 0, G_OPTION_ARG_STRING, &format,
          N_("print each message with FMT (%n number, %f flags, %F flag letters, "
             "%d date, %D Unix time, %s sender, %t to, %c cc, %S subject, "
             "%i Message-ID, %u UIDL, %z size, %o offset, %a attachments)"),
          N_("FMT") },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    if (!cmd_parse_options(&argc, &argv, entries, "",
                           _("List the messages of a folder, one per line.")))
        return EXIT_USAGE;
    if (argc > 1) {
        cmd_usage_error("list", _("unexpected argument '%s'"), argv[1]);
        return EXIT_USAGE;
    }
    g_autoptr(GError) error = NULL;
    g_autofree char *path = cmd_folder_path(ctx, folder ? folder : STORE_INBOX, &error);
    g_free(folder);
    if (!path) {
        cmd_print_error(error);
        g_free(format);
        return EXIT_FAIL;
    }
    StoreFolder *f = store_folder_open(path, &error);
    if (!f) {
        cmd_print_error(error);
        g_free(format);
        return EXIT_FAIL;
    }
    guint n = store_folder_count(f);
    int width = 1;
    for (guint v = n; v >= 10; v /= 10)
        width++;
    g_autoptr(GString) line = g_string_sized_new(256);
    for (guint i = 0; i < n; i++) {
        const StoreMessage *m = store_folder_get(f, i);
        g_string_truncate(line, 0);
        if (format) {
            format_line(line, format, m, i + 1);
        } else {
            g_string_append_printf(line, "%*u ", width, i + 1);
            flags_columns(line, m);
            g_string_append_c(line, ' ');
            append_date(line, m->date);
            g_string_append(line, "  ");
            append_sender(line, m->from, 24);
            g_string_append(line, "  ");
            append_safe(line, m->subject);
        }
        g_string_append_c(line, '\n');
        fwrite(line->str, 1, line->len, stdout);
    }
    store_folder_close(f);
    g_free(format);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_errorf(_("could not write the list: %s"), g_strerror(errno));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
