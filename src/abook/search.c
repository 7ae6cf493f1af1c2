/* Finding contacts in memory: substring search for the address book view,
 * prefix completion for To/Cc/Bcc, and group expansion for sending. */
#include <config.h>

#include <string.h>

#include "abook/private.h"
#include "util/util.h"

static gint
cmp_by_key(gconstpointer a, gconstpointer b)
{
    const AbookContact *x = *(AbookContact *const *)a;
    const AbookContact *y = *(AbookContact *const *)b;
    /* search_key starts with the folded full name. */
    return strcmp(x->search_key ? x->search_key : "", y->search_key ? y->search_key : "");
}

GPtrArray *
abook_search(const Abook *ab, const char *query)
{
    g_autofree char *q = abook_fold(query ? query : "");
    g_strstrip(q);
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < ab->contacts->len; i++) {
        AbookContact *c = ab->contacts->pdata[i];
        if (!c->search_key)
            abook_contact_index(c);
        if (!*q || strstr(c->search_key, q))
            g_ptr_array_add(out, c);
    }
    g_ptr_array_sort(out, cmp_by_key);
    return out;
}

/* Does Q (folded) start S (folded) or one of its words? */
static gboolean
word_prefix(const char *s, const char *q)
{
    if (!s || !*q)
        return FALSE;
    gsize ql = strlen(q);
    gboolean at_start = TRUE;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        if (at_start && strncmp(p, q, ql) == 0)
            return TRUE;
        at_start = !g_unichar_isalnum(ch);
    }
    return FALSE;
}

static gboolean
field_matches(const char *field, const char *q)
{
    if (!field || !*field)
        return FALSE;
    g_autofree char *f = abook_fold(field);
    return word_prefix(f, q);
}

typedef struct {
    char *display;
    char *key;           /* address key, for removing duplicates */
    char *name;          /* folded, for ranking */
    guint used;
    guint order;         /* the contact's preferred address first */
} Candidate;

static void
candidate_free(gpointer p)
{
    Candidate *c = p;
    g_free(c->display);
    g_free(c->key);
    g_free(c->name);
    g_free(c);
}

static gint
cmp_candidates(gconstpointer a, gconstpointer b)
{
    const Candidate *x = *(Candidate *const *)a, *y = *(Candidate *const *)b;
    if (x->used != y->used)
        return x->used > y->used ? -1 : 1;
    int r = strcmp(x->name, y->name);
    if (r)
        return r;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->key, y->key);
}

static void
add_candidate(const Abook *ab, GPtrArray *cands, GHashTable *seen,
              const AbookContact *c, const AbookEmail *e)
{
    Candidate *cand = g_new0(Candidate, 1);
    if (e) {
        cand->key = abook_address_key(e->address);
        gboolean named = c->fn && *c->fn && g_ascii_strcasecmp(c->fn, e->address) != 0;
        cand->display = abook_format_address(named ? c->fn : NULL, e->address);
        cand->used = abook_used_count(ab, e->address);
        cand->order = e->address == abook_contact_primary(c) ? 0 : 1;
        for (guint k = 0; k < c->emails->len && cand->order; k++)
            if (c->emails->pdata[k] == e)
                cand->order = k + 1;
    } else {
        cand->key = g_strconcat("group:", c->fn, NULL);
        cand->display = g_strdup(c->fn);
        cand->used = abook_used_count(ab, c->fn);
    }
    if (g_hash_table_contains(seen, cand->key)) {
        candidate_free(cand);
        return;
    }
    g_hash_table_add(seen, g_strdup(cand->key));
    cand->name = abook_fold(c->fn);
    g_ptr_array_add(cands, cand);
}

GPtrArray *
abook_complete(const Abook *ab, const char *prefix, guint max)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *q = abook_fold(prefix ? prefix : "");
    g_strstrip(q);
    if (!*q)
        return out;
    g_autoptr(GPtrArray) cands = g_ptr_array_new_with_free_func(candidate_free);
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < ab->contacts->len; i++) {
        const AbookContact *c = ab->contacts->pdata[i];
        /* Cheap rejection: every match is a substring of the search key. */
        if (c->search_key && !strstr(c->search_key, q))
            continue;
        gboolean by_name = field_matches(c->fn, q) || field_matches(c->given, q) ||
                           field_matches(c->family, q) || field_matches(c->additional, q);
        for (guint k = 0; !by_name && k < c->nicknames->len; k++)
            by_name = field_matches(c->nicknames->pdata[k], q);
        if (c->is_group) {
            if (by_name)
                add_candidate(ab, cands, seen, c, NULL);
            continue;
        }
        for (guint k = 0; k < c->emails->len; k++) {
            const AbookEmail *e = c->emails->pdata[k];
            if (by_name) {
                add_candidate(ab, cands, seen, c, e);
            } else {
                g_autofree char *a = abook_fold(e->address);
                if (g_str_has_prefix(a, q))
                    add_candidate(ab, cands, seen, c, e);
            }
        }
    }
    g_ptr_array_sort(cands, cmp_candidates);
    for (guint i = 0; i < cands->len && (max == 0 || i < max); i++) {
        Candidate *cand = cands->pdata[i];
        g_ptr_array_add(out, g_steal_pointer(&cand->display));
    }
    return out;
}

static const AbookContact *
find_uid(const Abook *ab, const char *uri)
{
    const char *bare = g_str_has_prefix(uri, "urn:uuid:") ? uri + 9 : uri;
    for (guint i = 0; i < ab->contacts->len; i++) {
        const AbookContact *c = ab->contacts->pdata[i];
        if (!c->uid)
            continue;
        const char *u = g_str_has_prefix(c->uid, "urn:uuid:") ? c->uid + 9 : c->uid;
        if (g_ascii_strcasecmp(u, bare) == 0)
            return c;
    }
    return NULL;
}

/* Groups of groups deeper than this are not a person's doing; stop
 * before a hostile file can exhaust the stack. */
#define MAX_GROUP_DEPTH 16

static void
expand_into(const Abook *ab, const AbookContact *g, GPtrArray *out,
            GHashTable *seen, GHashTable *visited, guint depth)
{
    if (depth > MAX_GROUP_DEPTH || g_hash_table_contains(visited, g))
        return;                  /* too deep, or a group containing itself */
    g_hash_table_add(visited, (gpointer)g);
    for (guint i = 0; i < g->members->len; i++) {
        const char *m = g->members->pdata[i];
        const char *addr = NULL, *name = NULL;
        g_autofree char *decoded = NULL;
        if (g_ascii_strncasecmp(m, "mailto:", 7) == 0) {
            decoded = g_uri_unescape_string(m + 7, NULL);
            if (decoded) {
                char *qm = strchr(decoded, '?');
                if (qm)
                    *qm = '\0';
            }
            addr = decoded;
            const AbookContact *c = addr ? abook_find_address(ab, addr) : NULL;
            if (c && !c->is_group && g_ascii_strcasecmp(c->fn, addr) != 0)
                name = c->fn;
        } else {
            const AbookContact *c = find_uid(ab, m);
            if (!c)
                continue;
            if (c->is_group) {
                expand_into(ab, c, out, seen, visited, depth + 1);
                continue;
            }
            addr = abook_contact_primary(c);
            if (addr && g_ascii_strcasecmp(c->fn, addr) != 0)
                name = c->fn;
        }
        if (!addr || !abook_address_valid(addr))
            continue;
        char *key = abook_address_key(addr);
        if (!g_hash_table_add(seen, key))
            continue;
        g_ptr_array_add(out, abook_format_address(name, addr));
    }
}

GPtrArray *
abook_expand(const Abook *ab, const char *name)
{
    if (!name)
        return NULL;
    g_autofree char *trimmed = g_strstrip(g_strdup(name));
    const AbookContact *g = abook_find_name(ab, trimmed, TRUE);
    if (!g)
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) visited = g_hash_table_new(NULL, NULL);
    expand_into(ab, g, out, seen, visited, 0);
    return out;
}
