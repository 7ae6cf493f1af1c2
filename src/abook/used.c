/* Use counts: how often each address or group was sent to.  Kept in the
 * state directory, apart from the contacts, as "COUNT<TAB>KEY" lines where
 * KEY is the lower-cased address or "group:" and the folded group name. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "abook/private.h"
#include "util/util.h"

gboolean abook_used_load(Abook *ab, GError **error);
gboolean abook_used_save(Abook *ab, GError **error);

gboolean
abook_used_load(Abook *ab, GError **error)
{
    g_autofree char *data = NULL;
    g_autoptr(GError) local = NULL;
    if (!g_file_get_contents(ab->used_path, &data, NULL, &local)) {
        if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return TRUE;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                    _("cannot read %s: %s"), ab->used_path, local->message);
        return FALSE;
    }
    /* A damaged line only loses its own count; the file is rebuildable. */
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        char *tab = strchr(lines[i], '\t');
        if (!tab || tab == lines[i] || !tab[1])
            continue;
        *tab = '\0';
        char *end = NULL;
        guint64 n = g_ascii_strtoull(lines[i], &end, 10);
        if (*end || n == 0 || n > G_MAXUINT || !g_utf8_validate(tab + 1, -1, NULL))
            continue;
        g_hash_table_replace(ab->used, g_strdup(tab + 1), GUINT_TO_POINTER((guint)n));
    }
    return TRUE;
}

static gint
cmp_keys(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

gboolean
abook_used_save(Abook *ab, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(ab->used_path);
    if (!paths_ensure_dir(dir, 0700, error))
        return FALSE;
    g_autoptr(GPtrArray) keys = abook_hash_keys(ab->used);
    g_ptr_array_sort(keys, cmp_keys);
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < keys->len; i++)
        g_string_append_printf(out, "%u\t%s\n",
                               GPOINTER_TO_UINT(g_hash_table_lookup(ab->used, keys->pdata[i])),
                               (char *)keys->pdata[i]);
    gboolean ok = atomic_write_file(ab->used_path, out->str, out->len, 0600, error);
    g_string_free(out, TRUE);
    return ok;
}

/* The key of an address, a "Name <addr>" or a group name. */
static char *
used_key(const char *what)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func(g_free);
    if (abook_address_valid(what))
        return abook_address_key(what);
    if (strchr(what, '@')) {
        abook_parse_address_list(what, names, addrs);
        if (addrs->len && abook_address_valid(addrs->pdata[0]))
            return abook_address_key(addrs->pdata[0]);
        return abook_address_key(what);
    }
    g_autofree char *f = abook_fold(what);
    g_strstrip(f);
    return g_strconcat("group:", f, NULL);
}

void
abook_note_used(Abook *ab, const char *address)
{
    if (!address || !*address)
        return;
    char *key = used_key(address);
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(ab->used, key));
    if (n < G_MAXUINT)
        n++;
    g_hash_table_replace(ab->used, key, GUINT_TO_POINTER(n));
    ab->used_dirty = TRUE;
}

guint
abook_used_count(const Abook *ab, const char *address)
{
    if (!address || !*address)
        return 0;
    g_autofree char *key = used_key(address);
    return GPOINTER_TO_UINT(g_hash_table_lookup(ab->used, key));
}
