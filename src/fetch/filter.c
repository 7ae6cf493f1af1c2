/* Filters: which folder a fetched message goes to.  Rules come from
 * cfg->filters in file order; the first that matches wins; the account's
 * inbox otherwise.  A rule looks at one header field (every occurrence of
 * it: a domain mailbox carries one Delivered-To per hop) or, with
 * header = any, at every field.  Values are unfolded and RFC 2047-decoded
 * first, so "=?UTF-8?Q?J=C3=B6rg?=" matches "Jörg". */
#include <config.h>

#include <string.h>

#include <gmime/gmime.h>

#include "fetch/private.h"
#include "util/util.h"

/* Call FN for each header field of MESSAGE: name and unfolded raw value. */
typedef gboolean (*FieldFunc)(const char *name, const char *value,
                              gpointer data);

static gboolean
for_each_field(const char *msg, gsize len, FieldFunc fn, gpointer data)
{
    gsize pos = 0;
    GString *name = g_string_new(NULL);
    GString *value = g_string_new(NULL);
    gboolean have = FALSE, hit = FALSE;

    while (pos < len && !hit) {
        const char *nl = memchr(msg + pos, '\n', len - pos);
        gsize end = nl ? (gsize)(nl - msg) : len;
        gsize llen = end - pos;
        if (llen > 0 && msg[end - 1] == '\r')
            llen--;
        const char *line = msg + pos;
        pos = nl ? end + 1 : len;

        if (llen == 0)
            break;                       /* end of the header block */
        if (line[0] == ' ' || line[0] == '\t') {
            if (have) {                  /* folded: unfold into one line */
                g_string_append_c(value, ' ');
                gsize k = 0;
                while (k < llen && (line[k] == ' ' || line[k] == '\t'))
                    k++;
                g_string_append_len(value, line + k, (gssize)(llen - k));
            }
            continue;
        }
        if (have)
            hit = fn(name->str, value->str, data);
        have = FALSE;
        const char *colon = memchr(line, ':', llen);
        if (!colon || colon == line)
            continue;                    /* not a field (a From_ line, junk) */
        g_string_assign(name, "");
        g_string_append_len(name, line, colon - line);
        g_strchomp(name->str);
        name->len = strlen(name->str);
        gsize k = (gsize)(colon - line) + 1;
        while (k < llen && (line[k] == ' ' || line[k] == '\t'))
            k++;
        g_string_assign(value, "");
        g_string_append_len(value, line + k, (gssize)(llen - k));
        have = TRUE;
    }
    if (have && !hit)
        hit = fn(name->str, value->str, data);
    g_string_free(name, TRUE);
    g_string_free(value, TRUE);
    return hit;
}

typedef struct {
    const Filter *filter;
    gboolean any;
} MatchCtx;

static gboolean
value_matches(const Filter *f, const char *raw)
{
    /* Decode RFC 2047 words; invalid bytes must not stop matching. */
    g_autofree char *decoded = g_mime_utils_header_decode_text(NULL, raw);
    const char *v = decoded ? decoded : raw;
    g_autofree char *valid = g_utf8_make_valid(v, -1);

    if (f->kind == FILTER_MATCHES)
        return f->regex && g_regex_match(f->regex, valid, 0, NULL);
    if (!f->pattern || !*f->pattern)
        return FALSE;
    g_autofree char *hay = g_utf8_casefold(valid, -1);
    g_autofree char *needle = g_utf8_casefold(f->pattern, -1);
    return strstr(hay, needle) != NULL;
}

static gboolean
field_cb(const char *name, const char *value, gpointer data)
{
    MatchCtx *m = data;
    if (!m->any && g_ascii_strcasecmp(name, m->filter->header) != 0)
        return FALSE;
    return value_matches(m->filter, value);
}

gboolean
filter_matches(const Filter *filter, const char *message, gsize len)
{
    if (!filter->header || !filter->folder)
        return FALSE;
    MatchCtx m = { filter, g_ascii_strcasecmp(filter->header, "any") == 0 };
    return for_each_field(message, len, field_cb, &m);
}

const char *
filter_folder_for(const PostieConfig *cfg, const Account *account,
                  const char *message, gsize len)
{
    for (guint i = 0; cfg->filters && i < cfg->filters->len; i++) {
        const Filter *f = cfg->filters->pdata[i];
        if (f->account && g_strcmp0(f->account, account->id) != 0)
            continue;
        if (filter_matches(f, message, len))
            return f->folder;
    }
    return account->inbox ? account->inbox : "Inbox";
}
