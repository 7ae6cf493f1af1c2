/* Filters: which folder a fetched message goes to.  Rules come from
 * cfg->filters in file order; the first that matches wins; the account's
 * inbox otherwise.  A rule looks at one header field (every occurrence of
 * it: a domain mailbox carries one Delivered-To per hop) or, with
 * header = any, at every field.  Values are unfolded and RFC 2047-decoded
 * first, so "=?UTF-8?Q?J=C3=B6rg?=" matches "Jörg". */
#include <config.h>

#include <string.h>

#include "fetch/private.h"
#include "mime/header.h"
#include "util/util.h"

typedef struct {
    const Filter *filter;
    gboolean any;
} MatchCtx;

static gboolean
value_matches(const Filter *f, const char *raw)
{
    /* Decode RFC 2047 words; invalid bytes must not stop matching. */
    g_autofree char *decoded = mime_header_decode_text(raw);
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
    return mime_header_foreach(message, len, field_cb, &m);
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
