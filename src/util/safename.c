/* Attachment names are chosen by whoever sent the mail: they must not
 * pick the directory, hide the file, overwrite anything, or carry
 * terminal controls. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util/safename.h"
#include "util/util.h"

static gboolean
is_bad_char(gunichar c)
{
    return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xFFFD ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x200E || c == 0x200F || c == 0x061C || c == 0x2028 || c == 0x2029 ||
           c == 0xFEFF;
}

/* Cut S to at most MAX bytes at a character boundary. */
static void
cut_utf8(GString *s, gsize max)
{
    if (s->len <= max)
        return;
    const char *p = s->str;
    while (*p && (gsize)(g_utf8_next_char(p) - s->str) <= max)
        p = g_utf8_next_char(p);
    g_string_truncate(s, (gsize)(p - s->str));
}

char *
safe_name(const char *name, const char *fallback)
{
    if (!fallback || !*fallback)
        fallback = "attachment";
    if (!name)
        return g_strdup(fallback);

    g_autofree char *valid = g_utf8_make_valid(name, -1);
    /* The last component of a Unix or Windows path. */
    const char *base = valid;
    for (const char *p = valid; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;

    GString *s = g_string_new(NULL);
    for (const char *p = base; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (is_bad_char(c) || c == ':')
            g_string_append_c(s, '_');
        else
            g_string_append_unichar(s, c);
    }
    /* No hidden files, no "." or "..", no names ending in dots or spaces
     * (which some systems silently drop). */
    gsize lead = 0;
    while (lead < s->len && (s->str[lead] == '.' || s->str[lead] == ' '))
        lead++;
    g_string_erase(s, 0, (gssize)lead);
    while (s->len > 0 && (s->str[s->len - 1] == '.' || s->str[s->len - 1] == ' '))
        g_string_truncate(s, s->len - 1);

    if (s->len > SAFE_NAME_MAX) {
        /* Keep a short extension: "very long....pdf". */
        const char *dot = strrchr(s->str, '.');
        gsize extlen = dot ? strlen(dot) : 0;
        if (extlen == 0 || extlen > 16) {
            cut_utf8(s, SAFE_NAME_MAX);
        } else {
            g_autofree char *ext = g_strdup(dot);
            g_string_truncate(s, (gsize)(dot - s->str));
            cut_utf8(s, SAFE_NAME_MAX - extlen);
            g_string_append(s, ext);
        }
    }
    if (s->len == 0) {
        g_string_free(s, TRUE);
        return g_strdup(fallback);
    }
    return g_string_free(s, FALSE);
}

int
safe_create(const char *dir, const char *name, char **path, GError **error)
{
    const char *dot = strrchr(name, '.');
    if (dot == name)
        dot = NULL;
    g_autofree char *stem = dot ? g_strndup(name, (gsize)(dot - name)) : g_strdup(name);
    const char *ext = dot ? dot : "";

    for (guint n = 0; n < 10000; n++) {
        g_autofree char *candidate = n == 0 ? g_strdup(name)
                                            : g_strdup_printf("%s (%u)%s", stem, n, ext);
        g_autofree char *full = g_build_filename(dir, candidate, NULL);
        int fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            *path = g_steal_pointer(&full);
            return fd;
        }
        if (errno != EEXIST) {
            postie_set_error_errno(error, errno, "create", full);
            return -1;
        }
    }
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                _("no free file name for '%s' in '%s'"), name, dir);
    return -1;
}
