/* HTML -> readable text.  A converter the user chose (config
 * html_converter, or a mailcap text/html entry with copiousoutput) does it
 * best; the built-in one keeps paragraphs, list items and link targets,
 * leaves out what the page hides itself (style display:none) and drops
 * everything else, so a message is readable with no helper at all. */
#include <config.h>

#include <string.h>

#include <glib/gstdio.h>

#include "mime/private.h"

/* ---- running a converter ---------------------------------------------- */

guint mime_filter_timeout_ms = 30000;

typedef struct {
    gboolean done;
    GBytes *out;
    GError *error;
} Communication;

static void
communicated(GObject *source, GAsyncResult *res, gpointer data)
{
    Communication *c = data;
    g_subprocess_communicate_finish(G_SUBPROCESS(source), res, &c->out, NULL, &c->error);
    c->done = TRUE;
}

static gboolean
timed_out(gpointer data)
{
    *(gboolean *)data = TRUE;
    return G_SOURCE_REMOVE;
}

/* A converter that hangs must not hang the screen: it is killed after
 * mime_filter_timeout_ms.  Runs its own main context, so it works from any
 * thread. */
GBytes *
mime_run_filter(char **argv, GBytes *in, GError **error)
{
    GMainContext *ctx = g_main_context_new();
    g_main_context_push_thread_default(ctx);
    GBytes *result = NULL;
    GSubprocessLauncher *launcher = g_subprocess_launcher_new(
        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    g_subprocess_launcher_set_child_setup(launcher, spawn_child_setup, NULL, NULL);
    GSubprocess *proc = g_subprocess_launcher_spawnv(launcher, (const char *const *)argv,
                                                     error);
    g_object_unref(launcher);
    if (proc) {
        Communication c = { FALSE, NULL, NULL };
        gboolean late = FALSE, killed = FALSE;
        GCancellable *cancel = g_cancellable_new();
        GSource *timer = g_timeout_source_new(mime_filter_timeout_ms);
        g_source_set_callback(timer, timed_out, &late, NULL);
        g_source_attach(timer, ctx);
        g_subprocess_communicate_async(proc, in, cancel, communicated, &c);
        while (!c.done) {
            g_main_context_iteration(ctx, TRUE);
            if (late && !killed) {
                g_subprocess_force_exit(proc);
                g_cancellable_cancel(cancel);
                killed = TRUE;
            }
        }
        g_source_destroy(timer);
        g_source_unref(timer);
        g_subprocess_wait(proc, NULL, NULL);
        if (killed) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                        _("'%s' took too long and was stopped"), argv[0]);
        } else if (c.error) {
            g_propagate_error(error, g_steal_pointer(&c.error));
        } else if (!(g_subprocess_get_if_exited(proc) && g_subprocess_get_exit_status(proc) == 0)) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED, _("'%s' failed"), argv[0]);
        } else {
            result = g_steal_pointer(&c.out);
        }
        g_clear_error(&c.error);
        if (c.out)
            g_bytes_unref(c.out);
        g_object_unref(cancel);
        g_object_unref(proc);
    }
    g_main_context_pop_thread_default(ctx);
    g_main_context_unref(ctx);
    return result;
}

static char *
convert_with_argv(char **argv, const char *html)
{
    GBytes *in = g_bytes_new(html, strlen(html));
    GBytes *out = mime_run_filter(argv, in, NULL);
    g_bytes_unref(in);
    if (!out)
        return NULL;
    gsize len = 0;
    const char *data = g_bytes_get_data(out, &len);
    /* No output at all is a failure too: the built-in one does better. */
    char *text = len > 0 ? mime_charset_to_utf8(data, len, "UTF-8") : NULL;
    g_bytes_unref(out);
    return text;
}

/* The mailcap entry gets the HTML in a private file, named by %s. */
static char *
convert_with_mailcap(const MimeMailcapEntry *e, const char *html)
{
    g_autofree char *dir = g_dir_make_tmp("postie-XXXXXX", NULL);
    if (!dir)
        return NULL;
    g_autofree char *file = g_build_filename(dir, "message.html", NULL);
    char *text = NULL;
    if (g_file_set_contents_full(file, html, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL)) {
        /* The file holds the HTML as UTF-8 (%{charset}). */
        static const char *const params[] = { "charset", "utf-8", NULL };
        g_auto(GStrv) argv = mime_mailcap_argv(e->command, file, "text/html", params, NULL);
        if (argv)
            text = convert_with_argv(argv, "");
    }
    g_unlink(file);
    g_rmdir(dir);
    return text;
}

char *
mime_html_to_text(const char *html, const MimeViewOptions *opts)
{
    if (opts && !opts->no_external) {
        char *text = NULL;
        if (opts->html_converter && *opts->html_converter) {
            g_auto(GStrv) argv = NULL;
            if (g_shell_parse_argv(opts->html_converter, NULL, &argv, NULL))
                text = convert_with_argv(argv, html);
        } else {
            GPtrArray *mc = mime_mailcap_load(opts->mailcap_files);
            const MimeMailcapEntry *e = mime_mailcap_find(mc, "text/html", TRUE);
            if (e)
                text = convert_with_mailcap(e, html);
            g_ptr_array_unref(mc);
        }
        if (text)
            return text;
    }
    return mime_html_to_text_builtin(html);
}

/* ---- the built-in converter -------------------------------------------- */

static const struct { const char *name; const char *utf8; } entities[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
    { "apos", "'" }, { "nbsp", " " }, { "copy", "\xC2\xA9" },
    { "reg", "\xC2\xAE" }, { "euro", "\xE2\x82\xAC" }, { "pound", "\xC2\xA3" },
    { "mdash", "\xE2\x80\x94" }, { "ndash", "\xE2\x80\x93" },
    { "hellip", "\xE2\x80\xA6" }, { "laquo", "\xC2\xAB" }, { "raquo", "\xC2\xBB" },
    { "lsquo", "\xE2\x80\x98" }, { "rsquo", "\xE2\x80\x99" },
    { "ldquo", "\xE2\x80\x9C" }, { "rdquo", "\xE2\x80\x9D" },
    { "bull", "\xE2\x80\xA2" }, { "middot", "\xC2\xB7" }, { "shy", "" },
    { "auml", "\xC3\xA4" }, { "ouml", "\xC3\xB6" }, { "uuml", "\xC3\xBC" },
    { "Auml", "\xC3\x84" }, { "Ouml", "\xC3\x96" }, { "Uuml", "\xC3\x9C" },
    { "szlig", "\xC3\x9F" }, { "eacute", "\xC3\xA9" }, { "egrave", "\xC3\xA8" },
    { "aacute", "\xC3\xA1" }, { "agrave", "\xC3\xA0" }, { "ccedil", "\xC3\xA7" },
    { "times", "\xC3\x97" }, { "deg", "\xC2\xB0" }, { "trade", "\xE2\x84\xA2" },
};

/* Decode the entity at P (just after '&'); appends to OUT and returns the
 * characters used, or 0 when it is no entity (the '&' is then literal). */
static gsize
decode_entity(const char *p, GString *out)
{
    if (p[0] == '#') {
        gboolean hex = p[1] == 'x' || p[1] == 'X';
        const char *q = p + (hex ? 2 : 1);
        guint64 v = 0;
        gsize digits = 0;
        while (hex ? g_ascii_isxdigit(*q) : g_ascii_isdigit(*q)) {
            if (digits < 8)   /* beyond that it is out of range anyway */
                v = v * (hex ? 16 : 10) + (guint64)(hex ? g_ascii_xdigit_value(*q) : g_ascii_digit_value(*q));
            else
                v = G_MAXUINT64;
            q++, digits++;
        }
        if (digits == 0)
            return 0;
        if (*q == ';')
            q++;
        gunichar c = (gunichar)v;
        if (v == 0 || v > 0x10FFFF || !g_unichar_validate(c))
            c = 0xFFFD;
        g_string_append_unichar(out, c);
        return (gsize)(q - p);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(entities); i++) {
        gsize n = strlen(entities[i].name);
        if (strncmp(p, entities[i].name, n) == 0 && !g_ascii_isalnum(p[n])) {
            g_string_append(out, entities[i].utf8);
            return n + (p[n] == ';' ? 1 : 0);
        }
    }
    return 0;
}

typedef struct {
    GString *out;
    gboolean pre;
    gboolean space;          /* a space is pending (collapsed whitespace) */
    char *href;              /* of the open <a>, or NULL */
    gsize link_start;        /* out->len when <a> opened */
    gboolean head;           /* inside <head>: no body text yet */
} Html;

static void
trim_trailing_spaces(GString *s)
{
    while (s->len > 0 && s->str[s->len - 1] == ' ')
        g_string_truncate(s, s->len - 1);
}

/* Ensure the output ends with at least N newlines (N = 1 line break,
 * N = 2 paragraph break), unless nothing was written yet. */
static void
newlines(Html *h, int n)
{
    trim_trailing_spaces(h->out);
    h->space = FALSE;
    if (h->out->len == 0)
        return;
    int have = 0;
    for (gsize i = h->out->len; i > 0 && h->out->str[i - 1] == '\n' && have < n; i--)
        have++;
    for (; have < n; have++)
        g_string_append_c(h->out, '\n');
}

static void
put_text(Html *h, const char *s, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        char c = s[i];
        if (!h->pre && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')) {
            h->space = !h->head;
            continue;
        }
        /* Text in the head ends it, as in browsers (an unclosed <head>). */
        h->head = FALSE;
        if (h->space) {
            if (h->out->len > 0 && h->out->str[h->out->len - 1] != '\n')
                g_string_append_c(h->out, ' ');
            h->space = FALSE;
        }
        if (h->pre && c == '\r')
            continue;
        g_string_append_c(h->out, c);
    }
}

/* The value of attribute NAME in the tag text T (without < and >). */
static char *
tag_attr(const char *t, gsize len, const char *name)
{
    gsize nl = strlen(name);
    for (gsize i = 0; i + nl < len; i++) {
        if ((i == 0 || g_ascii_isspace(t[i - 1])) && g_ascii_strncasecmp(t + i, name, nl) == 0) {
            gsize j = i + nl;
            while (j < len && g_ascii_isspace(t[j]))
                j++;
            if (j >= len || t[j] != '=')
                continue;
            j++;
            while (j < len && g_ascii_isspace(t[j]))
                j++;
            char q = (j < len && (t[j] == '"' || t[j] == '\'')) ? t[j++] : 0;
            gsize k = j;
            while (k < len && (q ? t[k] != q : !g_ascii_isspace(t[k])))
                k++;
            GString *v = g_string_new(NULL);
            for (gsize m = j; m < k; m++) {
                gsize used = t[m] == '&' ? decode_entity(t + m + 1, v) : 0;
                if (used)
                    m += used;
                else
                    g_string_append_c(v, t[m]);
            }
            return g_string_free(v, FALSE);
        }
    }
    return NULL;
}

static gboolean
name_is(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (g_ascii_strcasecmp(name, *list) == 0)
            return TRUE;
    return FALSE;
}

/* An element its own style hides (a newsletter's "preheader", shown only
 * by list views): display:none, or Outlook's mso-hide:all. */
static gboolean
tag_hides(const char *t, gsize len)
{
    g_autofree char *style = tag_attr(t, len, "style");
    if (!style)
        return FALSE;
    GString *s = g_string_new(NULL);
    for (const char *c = style; *c; c++)
        if (!g_ascii_isspace(*c))
            g_string_append_c(s, g_ascii_tolower(*c));
    gboolean hidden = strstr(s->str, "display:none") || strstr(s->str, "mso-hide:all");
    g_string_free(s, TRUE);
    return hidden;
}

/* After the start tag of element NAME at FROM: just past its matching
 * end tag, counting nested elements of the same name; NULL when it is
 * never closed (then nothing is hidden: a broken page loses no text), or
 * when the searches have used up *BUDGET bytes (many unclosed hidden
 * elements must not make the conversion quadratic). */
static const char *
element_end(const char *from, const char *name, gsize *budget)
{
    gsize nl = strlen(name);
    int depth = 1;
    for (const char *q = strchr(from, '<'); q; q = strchr(q + 1, '<')) {
        gsize used = (gsize)(q - from);
        if (used > *budget) {
            *budget = 0;
            return NULL;
        }
        gboolean closing = q[1] == '/';
        const char *n = q + 1 + (closing ? 1 : 0);
        if (g_ascii_strncasecmp(n, name, nl) != 0 || g_ascii_isalnum(n[nl]))
            continue;
        const char *e = strchr(n, '>');
        if (!e)
            return NULL;
        if (closing)
            depth--;
        else if (e[-1] != '/')
            depth++;
        if (depth == 0) {
            *budget -= (gsize)(e + 1 - from);
            return e + 1;
        }
    }
    *budget = *budget > strlen(from) ? *budget - strlen(from) : 0;
    return NULL;
}

static void
handle_tag(Html *h, const char *t, gsize len)
{
    gboolean closing = len > 0 && t[0] == '/';
    const char *n = t + (closing ? 1 : 0);
    gsize nlen = 0;
    while (n + nlen < t + len && (g_ascii_isalnum(n[nlen])))
        nlen++;
    g_autofree char *name = g_strndup(n, nlen);

    static const char *const para[] = { "p", "div", "table", "h1", "h2", "h3", "h4", "h5",
                                        "h6", "blockquote", "ul", "ol", "dl", "hr", "address",
                                        "section", "article", "header", "footer", "form", NULL };
    static const char *const line[] = { "br", "tr", "dt", "dd", NULL };

    if (g_ascii_strcasecmp(name, "pre") == 0) {
        newlines(h, 2);
        h->pre = !closing;
    } else if (name_is(name, para)) {
        newlines(h, 2);
        if (!closing && g_ascii_strcasecmp(name, "hr") == 0) {
            g_string_append(h->out, "----------");
            newlines(h, 2);
        }
    } else if (name_is(name, line)) {
        newlines(h, 1);
    } else if (g_ascii_strcasecmp(name, "li") == 0 && !closing) {
        newlines(h, 1);
        g_string_append(h->out, "* ");
    } else if ((g_ascii_strcasecmp(name, "td") == 0 || g_ascii_strcasecmp(name, "th") == 0) && closing) {
        h->space = TRUE;
    } else if (g_ascii_strcasecmp(name, "img") == 0 && !closing) {
        g_autofree char *alt = tag_attr(t, len, "alt");
        if (alt && *alt) {
            put_text(h, "[", 1);
            put_text(h, alt, strlen(alt));
            put_text(h, "]", 1);
        }
    } else if (g_ascii_strcasecmp(name, "a") == 0) {
        if (!closing) {
            g_free(h->href);
            h->href = tag_attr(t, len, "href");
            h->link_start = h->out->len;
        } else if (h->href) {
            /* "text <url>" unless the text already is the url.  (Trimming
             * may have cut the output below where the link began.) */
            const char *shown = h->out->str + MIN(h->link_start, h->out->len);
            const char *url = h->href;
            if (g_str_has_prefix(url, "mailto:"))
                url += 7;
            if (*url && !strstr(shown, url) && url[0] != '#') {
                g_string_append(h->out, " <");
                g_string_append(h->out, url);
                g_string_append(h->out, ">");
            }
            g_clear_pointer(&h->href, g_free);
        }
    }
}

char *
mime_html_to_text_builtin(const char *html)
{
    Html h = { g_string_new(NULL), FALSE, FALSE, NULL, 0, FALSE };
    const char *p = html ? html : "";
    /* Never body text; the <title> is the page's name, not its text. */
    static const char *const skip[] = { "script", "style", "title", NULL };
    /* What a <head> holds; any other tag ends it even without </head>. */
    static const char *const in_head[] = { "meta", "link", "base", "basefont", "bgsound",
                                           "noscript", "template", "html", "head", NULL };

    gsize hide_budget = 4 * strlen(p) + 4096;

    while (*p) {
        if (*p == '<') {
            if (strncmp(p, "<!--", 4) == 0) {
                const char *e = strstr(p + 4, "-->");
                p = e ? e + 3 : p + strlen(p);
                continue;
            }
            const char *e = strchr(p, '>');
            if (!e) {
                put_text(&h, p, strlen(p));
                break;
            }
            const char *t = p + 1;
            gsize tlen = (gsize)(e - t);
            gsize nlen = 0;
            while (nlen < tlen && g_ascii_isalnum(t[nlen]))
                nlen++;
            g_autofree char *name = g_strndup(t, nlen);
            if (nlen > 0 && name_is(name, skip)) {
                /* Skip to the matching close tag; the <title> is not body. */
                g_autofree char *close = g_strconcat("</", name, NULL);
                const char *q = e + 1;
                const char *found = NULL;
                for (; *q; q++)
                    if (*q == '<' && g_ascii_strncasecmp(q, close, strlen(close)) == 0) {
                        found = q;
                        break;
                    }
                if (!found)
                    break;   /* unclosed: it runs to the end, as in browsers */
                const char *ce = strchr(found, '>');
                p = ce ? ce + 1 : found + strlen(found);
                continue;
            }
            if (nlen > 0 && e[-1] != '/' && hide_budget > 0 && tag_hides(t, tlen)) {
                const char *after = element_end(e + 1, name, &hide_budget);
                if (after) {
                    p = after;
                    continue;
                }
            }
            if (nlen > 0 && g_ascii_strcasecmp(name, "head") == 0)
                h.head = TRUE;
            else if (t[0] == '/' && g_ascii_strncasecmp(t + 1, "head", 4) == 0 &&
                     !g_ascii_isalnum(t[5]))
                h.head = FALSE;
            else if (h.head && !(nlen > 0 && name_is(name, in_head)))
                h.head = FALSE;
            handle_tag(&h, t, tlen);
            p = e + 1;
        } else if (*p == '&') {
            GString *ent = g_string_new(NULL);
            gsize used = decode_entity(p + 1, ent);
            if (used) {
                put_text(&h, ent->str, ent->len);
                p += used + 1;
            } else {
                put_text(&h, "&", 1);
                p++;
            }
            g_string_free(ent, TRUE);
        } else {
            const char *q = p;
            while (*q && *q != '<' && *q != '&')
                q++;
            put_text(&h, p, (gsize)(q - p));
            p = q;
        }
    }
    g_free(h.href);
    trim_trailing_spaces(h.out);
    while (h.out->len > 0 && h.out->str[h.out->len - 1] == '\n')
        g_string_truncate(h.out, h.out->len - 1);
    if (h.out->len > 0)
        g_string_append_c(h.out, '\n');
    return g_string_free(h.out, FALSE);
}
