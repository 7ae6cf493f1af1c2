/* Abook: the contacts file in memory; loading, saving and changing it. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "abook/private.h"
#include "util/util.h"

/* Defined in used.c. */
gboolean abook_used_load(Abook *ab, GError **error);
gboolean abook_used_save(Abook *ab, GError **error);

Abook *
abook_new(const char *path, const char *used_path)
{
    Abook *ab = g_new0(Abook, 1);
    if (path) {
        ab->path = g_strdup(path);
    } else {
        g_autofree char *dir = paths_data_dir();
        ab->path = g_build_filename(dir, "contacts.vcf", NULL);
    }
    if (used_path) {
        ab->used_path = g_strdup(used_path);
    } else {
        g_autofree char *dir = paths_state_dir();
        ab->used_path = g_build_filename(dir, "abook-used", NULL);
    }
    ab->contacts = g_ptr_array_new_with_free_func((GDestroyNotify)abook_contact_free);
    ab->used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ab->removed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ab->disk_mtime = -1;
    return ab;
}

void
abook_free(Abook *ab)
{
    if (!ab)
        return;
    g_free(ab->path);
    g_free(ab->used_path);
    g_ptr_array_unref(ab->contacts);
    g_hash_table_unref(ab->used);
    g_hash_table_unref(ab->removed);
    if (ab->by_address)
        g_hash_table_unref(ab->by_address);
    g_free(ab);
}

const char *
abook_path(const Abook *ab)
{
    return ab->path;
}

/* What the file on disk looks like now (-1: missing). */
static void
disk_state(const char *path, gint64 *mtime, goffset *size)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        *mtime = -1;
        *size = -1;
        return;
    }
    *mtime = (gint64)st.st_mtim.tv_sec * G_GINT64_CONSTANT(1000000000) + st.st_mtim.tv_nsec;
    *size = st.st_size;
}

Abook *
abook_open(const char *path, GPtrArray **problems, GError **error)
{
    g_autoptr(Abook) ab = abook_new(path, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) local = NULL;

    if (problems)
        *problems = g_ptr_array_new_with_free_func(g_free);
    disk_state(ab->path, &ab->disk_mtime, &ab->disk_size);
    if (!g_file_get_contents(ab->path, &data, &len, &local)) {
        if (!g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                        _("cannot read the address book %s: %s"), ab->path,
                        local->message);
            return NULL;
        }
    } else {
        gboolean blank = TRUE;
        for (gsize i = 0; i < len && blank; i++)
            blank = g_ascii_isspace(data[i]);
        if (!blank) {
            AbookImportReport rep = { 0 };
            rep.problems = problems ? g_ptr_array_ref(*problems)
                                    : g_ptr_array_new_with_free_func(g_free);
            gboolean ok = abook_parse_vcard_own(data, len, ab->path, ab->contacts,
                                            &rep, error);
            abook_import_report_clear(&rep);
            /* Not a vCard file: refuse, so a save never overwrites it. */
            if (!ok)
                return NULL;
        }
    }
    for (guint i = 0; i < ab->contacts->len; i++) {
        AbookContact *c = ab->contacts->pdata[i];
        if (!c->uid) {
            c->uid = abook_new_uid();
            ab->dirty = TRUE;
        }
    }
    if (!abook_used_load(ab, error))
        return NULL;
    return g_steal_pointer(&ab);
}

/* Another program (a second postie, an editor, a sync tool) wrote the file
 * since we read it: keep what it added, so saving loses nothing.  Our own
 * version of a contact wins; contacts we removed stay removed. */
static gboolean
take_changes_on_disk(Abook *ab, GError **error)
{
    gint64 mtime;
    goffset size;
    disk_state(ab->path, &mtime, &size);
    if (mtime == ab->disk_mtime && size == ab->disk_size)
        return TRUE;
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(ab->path, &data, &len, NULL))
        return TRUE;                 /* gone: nothing to keep */
    g_autoptr(GPtrArray) theirs = g_ptr_array_new_with_free_func((GDestroyNotify)abook_contact_free);
    AbookImportReport rep = { 0 };
    gboolean ok = abook_parse_vcard_own(data, len, ab->path, theirs, &rep, error);
    abook_import_report_clear(&rep);
    if (!ok) {
        g_prefix_error(error, _("not overwriting a file another program changed: "));
        return FALSE;
    }
    g_autoptr(GHashTable) ours = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < ab->contacts->len; i++) {
        AbookContact *c = ab->contacts->pdata[i];
        if (c->uid)
            g_hash_table_add(ours, c->uid);
    }
    g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func((GDestroyNotify)abook_contact_free);
    for (guint i = 0; i < theirs->len; i++) {
        AbookContact *c = theirs->pdata[i];
        if (c->uid && (g_hash_table_contains(ours, c->uid) ||
                       g_hash_table_contains(ab->removed, c->uid)))
            continue;
        theirs->pdata[i] = NULL;
        g_ptr_array_add(added, c);
    }
    abook_import_contacts(ab, added, NULL);
    return TRUE;
}

gboolean
abook_save(Abook *ab, GError **error)
{
    if (ab->dirty) {
        g_autofree char *dir = g_path_get_dirname(ab->path);
        if (!paths_ensure_dir(dir, 0700, error))
            return FALSE;
        if (!take_changes_on_disk(ab, error))
            return FALSE;
        g_autofree char *text = abook_export_vcard(ab);
        if (!atomic_write_file(ab->path, text, strlen(text), 0600, error))
            return FALSE;
        disk_state(ab->path, &ab->disk_mtime, &ab->disk_size);
        ab->dirty = FALSE;
    }
    if (ab->used_dirty) {
        if (!abook_used_save(ab, error))
            return FALSE;
        ab->used_dirty = FALSE;
    }
    return TRUE;
}

guint
abook_count(const Abook *ab)
{
    return ab->contacts->len;
}

AbookContact *
abook_get(const Abook *ab, guint i)
{
    return i < ab->contacts->len ? ab->contacts->pdata[i] : NULL;
}

/* The address index is kept up to date as addresses are added, and
 * dropped (rebuilt on the next lookup) when contacts go away. */
static void
index_contact(Abook *ab, AbookContact *c)
{
    if (!ab->by_address || c->is_group)
        return;
    for (guint k = 0; k < c->emails->len; k++) {
        char *key = abook_address_key(((AbookEmail *)c->emails->pdata[k])->address);
        if (g_hash_table_contains(ab->by_address, key))
            g_free(key);
        else
            g_hash_table_insert(ab->by_address, key, c);
    }
}

static void
drop_index(Abook *ab)
{
    if (ab->by_address)
        g_hash_table_unref(ab->by_address);
    ab->by_address = NULL;
}

AbookContact *
abook_add(Abook *ab, AbookContact *c)
{
    if (!c->uid)
        c->uid = abook_new_uid();
    abook_contact_fill_fn(c);
    abook_contact_index(c);
    g_ptr_array_add(ab->contacts, c);
    index_contact(ab, c);
    ab->dirty = TRUE;
    return c;
}

void
abook_changed(Abook *ab, AbookContact *c)
{
    abook_contact_fill_fn(c);
    abook_contact_index(c);
    index_contact(ab, c);
    ab->dirty = TRUE;
}

/* Replace (or with TO == NULL, drop) group references to FROM. */
static void
repoint_members(Abook *ab, const AbookContact *from, const AbookContact *to)
{
    if (!from->uid)
        return;
    for (guint i = 0; i < ab->contacts->len; i++) {
        AbookContact *g = ab->contacts->pdata[i];
        for (guint k = 0; k < g->members->len;) {
            const char *m = g->members->pdata[k];
            if (strcmp(m, from->uid) != 0) {
                k++;
                continue;
            }
            if (to && to->uid && to != g) {
                g_free(g->members->pdata[k]);
                g->members->pdata[k] = g_strdup(to->uid);
                k++;
            } else {
                g_ptr_array_remove_index(g->members, k);
            }
        }
    }
}

void
abook_remove(Abook *ab, AbookContact *c)
{
    repoint_members(ab, c, NULL);
    drop_index(ab);
    if (c->uid)
        g_hash_table_add(ab->removed, g_strdup(c->uid));
    g_ptr_array_remove(ab->contacts, c);
    ab->dirty = TRUE;
}

static gboolean
has_address(const AbookContact *c, const char *key)
{
    for (guint k = 0; k < c->emails->len; k++) {
        g_autofree char *o = abook_address_key(((AbookEmail *)c->emails->pdata[k])->address);
        if (strcmp(o, key) == 0)
            return TRUE;
    }
    return FALSE;
}

AbookContact *
abook_find_address(const Abook *cab, const char *address)
{
    Abook *ab = (Abook *)cab;   /* the index is a cache */
    g_autofree char *key = abook_address_key(address);
    if (!ab->by_address) {
        ab->by_address = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (guint i = 0; i < ab->contacts->len; i++)
            index_contact(ab, ab->contacts->pdata[i]);
    }
    AbookContact *c = g_hash_table_lookup(ab->by_address, key);
    if (c && has_address(c, key))
        return c;
    if (!c)
        return NULL;
    /* The contact was edited and lost the address: look the slow way. */
    drop_index(ab);
    for (guint i = 0; i < ab->contacts->len; i++) {
        c = ab->contacts->pdata[i];
        if (!c->is_group && has_address(c, key))
            return c;
    }
    return NULL;
}

AbookContact *
abook_find_name(const Abook *ab, const char *name, gboolean group)
{
    g_autofree char *key = abook_fold(name);
    gsize klen = strlen(key);
    for (guint i = 0; i < ab->contacts->len; i++) {
        AbookContact *c = ab->contacts->pdata[i];
        if (c->is_group != group || !c->fn)
            continue;
        /* The search key starts with the folded full name and a newline. */
        if (c->search_key) {
            if (strncmp(c->search_key, key, klen) == 0 && c->search_key[klen] == '\n')
                return c;
            continue;
        }
        g_autofree char *o = abook_fold(c->fn);
        if (strcmp(o, key) == 0)
            return c;
    }
    return NULL;
}

/* "Doe, Jane" or "Jane Q. Doe" into N. */
static void
split_name(AbookContact *c, const char *name)
{
    const char *comma = strchr(name, ',');
    if (comma && !strchr(comma + 1, ',')) {
        c->family = g_strstrip(g_strndup(name, (gsize)(comma - name)));
        c->given = g_strstrip(g_strdup(comma + 1));
        return;
    }
    const char *space = strrchr(name, ' ');
    if (space) {
        c->given = g_strstrip(g_strndup(name, (gsize)(space - name)));
        c->family = g_strstrip(g_strdup(space + 1));
    }
}

AbookContact *
abook_add_from_display(Abook *ab, const char *display, gboolean *is_new,
                       GError **error)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func(g_free);
    abook_parse_address_list(display ? display : "", names, addrs);
    const char *name = NULL, *addr = NULL;
    for (guint i = 0; i < addrs->len && !addr; i++) {
        if (abook_address_valid(addrs->pdata[i])) {
            addr = addrs->pdata[i];
            name = names->pdata[i];
        }
    }
    if (is_new)
        *is_new = FALSE;
    if (!addr) {
        g_autofree char *safe = term_safe(display ? display : "", -1, 0);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("'%s' holds no mail address"), safe);
        return NULL;
    }
    AbookContact *c = abook_find_address(ab, addr);
    if (c) {
        /* A contact known only by its address gets the name now. */
        if (name && *name && c->fn && g_ascii_strcasecmp(c->fn, addr) == 0) {
            g_free(c->fn);
            c->fn = g_strdup(name);
            if (!c->given && !c->family)
                split_name(c, name);
            abook_changed(ab, c);
        }
        return c;
    }
    c = abook_contact_new();
    if (name && *name) {
        c->fn = g_strdup(name);
        split_name(c, name);
    }
    abook_contact_add_email(c, addr, NULL, 0);
    if (is_new)
        *is_new = TRUE;
    return abook_add(ab, c);
}

void
abook_merge(Abook *ab, AbookContact *into, AbookContact *from)
{
    if (into == from)
        return;
    abook_contact_absorb(into, from);
    repoint_members(ab, from, into);
    drop_index(ab);
    if (from->uid)
        g_hash_table_add(ab->removed, g_strdup(from->uid));
    g_ptr_array_remove(ab->contacts, from);
    abook_changed(ab, into);
}

/* Union-find over contact indexes. */
static guint
find_root(guint *parent, guint i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void
unite_by(GHashTable *seen, guint *parent, char *key, guint i)
{
    gpointer other;
    if (g_hash_table_lookup_extended(seen, key, NULL, &other)) {
        guint a = find_root(parent, GPOINTER_TO_UINT(other));
        guint b = find_root(parent, i);
        /* The earlier contact stays. */
        if (a < b)
            parent[b] = a;
        else
            parent[a] = b;
        g_free(key);
    } else {
        g_hash_table_insert(seen, key, GUINT_TO_POINTER(i));
    }
}

guint
abook_merge_duplicates(Abook *ab)
{
    guint n = ab->contacts->len;
    if (n < 2)
        return 0;
    guint *parent = g_new(guint, n);
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < n; i++)
        parent[i] = i;
    for (guint i = 0; i < n; i++) {
        AbookContact *c = ab->contacts->pdata[i];
        if (c->fn && *c->fn) {
            g_autofree char *f = abook_fold(c->fn);
            unite_by(seen, parent, g_strdup_printf("%c%s", c->is_group ? 'g' : 'n', f), i);
        }
        if (c->is_group)
            continue;
        for (guint k = 0; k < c->emails->len; k++) {
            g_autofree char *a = abook_address_key(((AbookEmail *)c->emails->pdata[k])->address);
            unite_by(seen, parent, g_strconcat("a", a, NULL), i);
        }
    }
    /* Roots are the earliest contact of each set; merging in file order
     * keeps the addresses in the order they were found. */
    g_autoptr(GPtrArray) snapshot = g_ptr_array_new();
    for (guint i = 0; i < n; i++)
        g_ptr_array_add(snapshot, ab->contacts->pdata[i]);
    guint merged = 0;
    for (guint i = 0; i < n; i++) {
        guint r = find_root(parent, i);
        if (r != i) {
            abook_merge(ab, snapshot->pdata[r], snapshot->pdata[i]);
            merged++;
        }
    }
    g_free(parent);
    return merged;
}
