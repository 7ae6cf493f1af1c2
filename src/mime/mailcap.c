/* RFC 1524 mailcap files.  The files are the user's (trusted); what comes
 * from a message (the file name, the type, its parameters) reaches a
 * command only as a private file name or in [A-Za-z0-9._+/-], because a
 * user's command may well be a shell string. */
#include <config.h>

#include <string.h>

#include "mime/private.h"

void
mime_mailcap_entry_free(MimeMailcapEntry *e)
{
    if (!e)
        return;
    g_free(e->type);
    g_free(e->command);
    g_free(e->test);
    g_free(e->nametemplate);
    g_free(e);
}

/* Split one logical line at unescaped ';'.  "\;" gives ';', "\\" gives
 * '\'; other escapes are kept as they are for the command's own quoting. */
static GPtrArray *
split_fields(const char *line)
{
    GPtrArray *fields = g_ptr_array_new_with_free_func(g_free);
    GString *cur = g_string_new(NULL);
    for (const char *p = line; *p; p++) {
        if (*p == '\\' && (p[1] == ';' || p[1] == '\\')) {
            g_string_append_c(cur, p[1]);
            p++;
        } else if (*p == ';') {
            g_ptr_array_add(fields, g_strstrip(g_string_free(cur, FALSE)));
            cur = g_string_new(NULL);
        } else {
            g_string_append_c(cur, *p);
        }
    }
    g_ptr_array_add(fields, g_strstrip(g_string_free(cur, FALSE)));
    return fields;
}

static MimeMailcapEntry *
parse_entry(const char *line)
{
    GPtrArray *f = split_fields(line);
    MimeMailcapEntry *e = NULL;
    if (f->len >= 2 && *(char *)f->pdata[0] && *(char *)f->pdata[1]) {
        e = g_new0(MimeMailcapEntry, 1);
        e->type = g_ascii_strdown(f->pdata[0], -1);
        /* "text" alone means every text subtype (RFC 1524). */
        if (!strchr(e->type, '/')) {
            char *t = g_strconcat(e->type, "/*", NULL);
            g_free(e->type);
            e->type = t;
        }
        e->command = g_strdup(f->pdata[1]);
        for (guint i = 2; i < f->len; i++) {
            char *field = f->pdata[i];
            char *eq = strchr(field, '=');
            g_autofree char *key = g_strstrip(g_ascii_strdown(field, eq ? eq - field : -1));
            const char *val = eq ? eq + 1 : NULL;
            while (val && g_ascii_isspace(*val))
                val++;
            if (strcmp(key, "needsterminal") == 0)
                e->needsterminal = TRUE;
            else if (strcmp(key, "copiousoutput") == 0)
                e->copiousoutput = TRUE;
            else if (strcmp(key, "test") == 0 && val && *val)
                {
                g_free(e->test);
                e->test = g_strdup(val);
            }
            else if (strcmp(key, "nametemplate") == 0 && val && *val)
                {
                g_free(e->nametemplate);
                e->nametemplate = g_strdup(val);
            }
        }
    }
    g_ptr_array_unref(f);
    return e;
}

GPtrArray *
mime_mailcap_parse(const char *text)
{
    GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)mime_mailcap_entry_free);
    char **lines = g_strsplit(text ? text : "", "\n", -1);
    GString *logical = g_string_new(NULL);
    for (char **l = lines; *l; l++) {
        char *line = *l;
        gsize len = strlen(line);
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (logical->len == 0) {
            const char *s = line;
            while (g_ascii_isspace(*s))
                s++;
            if (*s == '#' || *s == '\0')
                continue;
        }
        /* An odd number of trailing backslashes continues the line. */
        gsize bs = 0;
        while (bs < len && line[len - 1 - bs] == '\\')
            bs++;
        if (bs % 2 == 1) {
            g_string_append_len(logical, line, (gssize)(len - 1));
            if (l[1])
                continue;
        } else {
            g_string_append(logical, line);
        }
        MimeMailcapEntry *e = parse_entry(logical->str);
        if (e)
            g_ptr_array_add(entries, e);
        g_string_truncate(logical, 0);
    }
    g_string_free(logical, TRUE);
    g_strfreev(lines);
    return entries;
}

GPtrArray *
mime_mailcap_load(const char *const *files)
{
    GPtrArray *all = g_ptr_array_new_with_free_func((GDestroyNotify)mime_mailcap_entry_free);
    g_autofree char *home = g_build_filename(g_get_home_dir(), ".mailcap", NULL);
    const char *defaults[] = { home, "/etc/mailcap", NULL };
    /* RFC 1524: $MAILCAPS, a colon-separated list, replaces the defaults. */
    g_auto(GStrv) from_env = NULL;
    const char *env = g_getenv("MAILCAPS");
    if (!files && env && *env) {
        from_env = g_strsplit(env, ":", -1);
        for (char **f = from_env; *f; f++) {
            char *x = paths_expand_home(*f);
            g_free(*f);
            *f = x;
        }
    }
    const char *const *list = files ? files : from_env ? (const char *const *)from_env : defaults;
    for (const char *const *f = list; *f; f++) {
        g_autofree char *text = NULL;
        if (!g_file_get_contents(*f, &text, NULL, NULL))
            continue;
        GPtrArray *some = mime_mailcap_parse(text);
        for (guint i = 0; i < some->len; i++)
            g_ptr_array_add(all, g_steal_pointer(&some->pdata[i]));
        g_ptr_array_set_free_func(some, NULL);
        g_ptr_array_unref(some);
    }
    return all;
}

static gboolean
type_matches(const char *pattern, const char *type)
{
    if (g_ascii_strcasecmp(pattern, type) == 0)
        return TRUE;
    gsize plen = strlen(pattern);
    if (plen >= 2 && strcmp(pattern + plen - 2, "/*") == 0)
        return g_ascii_strncasecmp(pattern, type, plen - 1) == 0;
    return FALSE;
}

/* Run a test command (it must not see the message: no %s). */
static gboolean
test_passes(const char *test)
{
    g_auto(GStrv) argv = NULL;
    if (strstr(test, "%s") || !g_shell_parse_argv(test, NULL, &argv, NULL))
        return FALSE;
    int status = 0;
    if (!g_spawn_sync(NULL, argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      spawn_child_setup, NULL, NULL, NULL, &status, NULL))
        return FALSE;
    return g_spawn_check_wait_status(status, NULL);
}

const MimeMailcapEntry *
mime_mailcap_find(GPtrArray *entries, const char *type, gboolean want_copious)
{
    if (!entries || !type)
        return NULL;
    for (guint i = 0; i < entries->len; i++) {
        const MimeMailcapEntry *e = entries->pdata[i];
        if (!type_matches(e->type, type))
            continue;
        if (want_copious && !e->copiousoutput)
            continue;
        if (e->test && !test_passes(e->test))
            continue;
        return e;
    }
    return NULL;
}

/* What a sender controls may only reach a command in these characters:
 * a mailcap command is often a shell string ("sh -c '... %t'"), and GMime
 * lets ` $ | & { } ! through in a subtype. */
static gboolean
is_harmless(const char *s)
{
    if (!s || !*s)
        return FALSE;
    for (const char *p = s; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr("._+/-", *p))
            return FALSE;
    return TRUE;
}

const char *
mime_mailcap_safe_type(const char *type)
{
    return is_harmless(type) ? type : "application/octet-stream";
}

static const char *
param_value(const char *const *params, const char *name, gsize name_len)
{
    for (const char *const *p = params; p && p[0] && p[1]; p += 2)
        if (strlen(p[0]) == name_len && g_ascii_strncasecmp(p[0], name, name_len) == 0)
            return p[1];
    return NULL;
}

/* Replace %s, %t, %{NAME} and %% in one argv element. */
static char *
expand(const char *arg, const char *file, const char *type,
       const char *const *params, gboolean *used_file)
{
    GString *out = g_string_new(NULL);
    for (const char *p = arg; *p; p++) {
        const char *close = p[0] == '%' && p[1] == '{' ? strchr(p + 2, '}') : NULL;
        if (*p == '%' && p[1] == 's') {
            g_string_append(out, file);
            *used_file = TRUE;
            p++;
        } else if (*p == '%' && p[1] == 't') {
            g_string_append(out, mime_mailcap_safe_type(type));
            p++;
        } else if (close) {
            /* RFC 1524: an absent parameter is empty; so is a hostile one. */
            const char *v = param_value(params, p + 2, (gsize)(close - p - 2));
            if (is_harmless(v))
                g_string_append(out, v);
            p = close;
        } else if (*p == '%' && p[1] == '%') {
            g_string_append_c(out, '%');
            p++;
        } else {
            g_string_append_c(out, *p);
        }
    }
    return g_string_free(out, FALSE);
}

char **
mime_mailcap_argv(const char *command, const char *file, const char *type,
                  const char *const *params, GError **error)
{
    g_auto(GStrv) words = NULL;
    GError *local = NULL;
    if (!command || !g_shell_parse_argv(command, NULL, &words, &local)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("mailcap command '%s' cannot be split into arguments: %s"),
                    command ? command : "", local ? local->message : _("empty"));
        g_clear_error(&local);
        return NULL;
    }
    GPtrArray *argv = g_ptr_array_new();
    gboolean used_file = FALSE;
    for (char **w = words; *w; w++)
        g_ptr_array_add(argv, expand(*w, file, type, params, &used_file));
    if (!used_file)
        g_ptr_array_add(argv, g_strdup(file));
    g_ptr_array_add(argv, NULL);
    return (char **)g_ptr_array_free(argv, FALSE);
}
