/* vCard reader for versions 2.1, 3.0 and 4.0 (RFC 2425/2426, RFC 6350).
 *
 * Input is hostile: lines may be folded wrongly, values quoted-printable
 * with soft line breaks, in any charset, or not valid at all.  Each
 * physical line is numbered so problems can be reported as FILE:LINE.
 * Properties we do not interpret are kept as vCard 4.0 lines so that a
 * rewrite never drops what the user had. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "abook/private.h"
#include "util/util.h"

typedef struct {
    char *name;          /* upper case */
    char *value;         /* decoded (RFC 6868 carets), NULL for a bare 2.1 param */
    gboolean quoted;     /* the value was written in double quotes */
} Param;

typedef struct {
    guint line;
    char *group;         /* "item1" or NULL */
    char *name;          /* upper case */
    char *raw_name;      /* as written, for properties kept unchanged */
    GPtrArray *params;   /* Param* */
    char *value;         /* UTF-8 after QP and charset decoding */
    gboolean decoded_qp;
    gboolean binary;     /* ENCODING=b/BASE64: left exactly as written */
} Prop;

static void
param_free(gpointer p)
{
    Param *pa = p;
    g_free(pa->name);
    g_free(pa->value);
    g_free(pa);
}

static void
prop_clear(Prop *p)
{
    g_free(p->group);
    g_free(p->name);
    g_free(p->raw_name);
    if (p->params)
        g_ptr_array_unref(p->params);
    g_free(p->value);
    memset(p, 0, sizeof *p);
}

/* ---- lines -------------------------------------------------------------- */

typedef struct {
    const char *p, *end;
    guint line;          /* number of the line returned last */
} Lines;

/* Next physical line (without its end) or FALSE at the end. */
static gboolean
next_line(Lines *l, const char **start, gsize *len)
{
    if (l->p >= l->end)
        return FALSE;
    const char *s = l->p, *e = s;
    while (e < l->end && *e != '\n' && *e != '\r')
        e++;
    *start = s;
    *len = (gsize)(e - s);
    if (e < l->end && *e == '\r') {
        e++;
        if (e < l->end && *e == '\n')
            e++;
    } else if (e < l->end && *e == '\n') {
        e++;
    }
    l->p = e;
    l->line++;
    return TRUE;
}

static gboolean
peek_line(const Lines *l, const char **start, gsize *len)
{
    Lines copy = *l;
    return next_line(&copy, start, len);
}

/* The part before the value: up to the first ':' outside double quotes. */
static const char *
find_value_colon(const char *s)
{
    gboolean in_quotes = FALSE;
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            in_quotes = !in_quotes;
        else if (*p == ':' && !in_quotes)
            return p;
    }
    return NULL;
}

/* The head of a logical line being joined (up to the value's ':'), found
 * by a scan that goes on where it stopped: joining N lines costs O(N)
 * even when a '"' left open keeps the colon from ever being found. */
typedef struct {
    gsize scanned;
    gboolean in_quotes;
    gboolean stopped;    /* a NUL: find_value_colon would stop there */
    gssize colon;        /* -1 until found */
    int qp;              /* -1 not yet known */
} HeadScan;

static gboolean
head_has_colon(HeadScan *h, const GString *s)
{
    for (; h->colon < 0 && !h->stopped && h->scanned < s->len; h->scanned++) {
        char c = s->str[h->scanned];
        if (c == '\0')
            h->stopped = TRUE;
        else if (c == '"')
            h->in_quotes = !h->in_quotes;
        else if (c == ':' && !h->in_quotes)
            h->colon = (gssize)h->scanned;
    }
    return h->colon >= 0;
}

static gboolean
head_is_qp(HeadScan *h, const GString *s)
{
    if (!head_has_colon(h, s))
        return FALSE;
    if (h->qp < 0) {
        g_autofree char *head = g_ascii_strup(s->str, h->colon);
        h->qp = strstr(head, "QUOTED-PRINTABLE") != NULL;
    }
    return h->qp;
}

/* Drop the '=' of a QP soft break; the scan of the head (which the '='
 * cannot be part of) resumes at the end. */
static void
cut_soft_break(HeadScan *h, GString *s)
{
    g_string_truncate(s, s->len - 1);
    h->scanned = MIN(h->scanned, s->len);
}

/* Is the next line one no property can start with: text without a ':'
 * even after its own continuation lines (a long name may push the colon
 * past the fold)?  Writers that fold without the leading space leave
 * these, and vCard 2.1 base64 is often continued that way. */
static gboolean
next_is_stray(const Lines *l)
{
    Lines look = *l;
    const char *s;
    gsize n;
    if (!next_line(&look, &s, &n) || n == 0 || s[0] == ' ' || s[0] == '\t' ||
        memchr(s, ':', n))
        return FALSE;
    while (peek_line(&look, &s, &n) && n > 0 && (s[0] == ' ' || s[0] == '\t')) {
        next_line(&look, &s, &n);
        if (memchr(s, ':', n))
            return FALSE;
    }
    return TRUE;
}

static gboolean
starts_ci(const char *s, const char *prefix)
{
    return g_ascii_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Read one logical line: unfold continuation lines (leading space or tab),
 * join quoted-printable soft line breaks ("=" at the end), and join lines
 * without a ':' to the line before, so that a badly folded value is kept
 * whole rather than dropped; *stray_line is set to the first such line. */
static char *
next_logical(Lines *l, guint *first_line, guint *stray_line)
{
    const char *s;
    gsize n;
    *stray_line = 0;
    if (!next_line(l, &s, &n))
        return NULL;
    *first_line = l->line;
    GString *out = g_string_new_len(s, (gssize)n);
    HeadScan head = { 0, FALSE, FALSE, -1, -1 };
    for (;;) {
        const char *ns;
        gsize nn;
        if (!peek_line(l, &ns, &nn))
            break;
        if (nn > 0 && (ns[0] == ' ' || ns[0] == '\t')) {
            next_line(l, &ns, &nn);
            /* A QP soft break may also be followed by a folded line. */
            if (out->len && out->str[out->len - 1] == '=' && head_is_qp(&head, out))
                cut_soft_break(&head, out);
            g_string_append_len(out, ns + 1, (gssize)nn - 1);
            continue;
        }
        if (out->len && out->str[out->len - 1] == '=' && head_is_qp(&head, out)) {
            next_line(l, &ns, &nn);
            cut_soft_break(&head, out);
            g_string_append_len(out, ns, (gssize)nn);
            continue;
        }
        if (next_is_stray(l) && head_has_colon(&head, out) &&
            !starts_ci(out->str, "BEGIN:") && !starts_ci(out->str, "END:")) {
            next_line(l, &ns, &nn);
            if (!*stray_line)
                *stray_line = l->line;
            g_string_append_len(out, ns, (gssize)nn);
            continue;
        }
        break;
    }
    return g_string_free(out, FALSE);
}

/* ---- values ------------------------------------------------------------- */

/* RFC 6868: ^n newline, ^^ caret, ^' double quote. */
static char *
caret_decode(const char *s, gsize len)
{
    GString *out = g_string_sized_new(len);
    for (gsize i = 0; i < len; i++) {
        if (s[i] == '^' && i + 1 < len && strchr("n^'", s[i + 1])) {
            char c = s[++i];
            g_string_append_c(out, c == 'n' ? '\n' : c == '\'' ? '"' : '^');
        } else {
            g_string_append_c(out, s[i]);
        }
    }
    return g_string_free(out, FALSE);
}

static GByteArray *
qp_decode(const char *s)
{
    GByteArray *out = g_byte_array_new();
    for (const char *p = s; *p; p++) {
        if (*p == '=' && g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2])) {
            guint8 b = (guint8)(g_ascii_xdigit_value(p[1]) * 16 + g_ascii_xdigit_value(p[2]));
            g_byte_array_append(out, &b, 1);
            p += 2;
        } else if (*p == '=' && p[1] == '\0') {
            break;                       /* soft break at the very end */
        } else {
            g_byte_array_append(out, (const guint8 *)p, 1);
        }
    }
    return out;
}

/* Unescape a vCard text value: \\ \, \; \n \N.  Other backslashes are
 * kept (vCard 2.1 does not escape, "C:\dir" must survive). */
static char *
unescape_text(const char *s, gsize len)
{
    GString *out = g_string_sized_new(len);
    for (gsize i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            char c = s[i + 1];
            if (c == 'n' || c == 'N') {
                g_string_append_c(out, '\n');
                i++;
                continue;
            }
            if (c == '\\' || c == ',' || c == ';' || c == ':') {
                g_string_append_c(out, c);
                i++;
                continue;
            }
        }
        if (s[i] == '\r')
            continue;
        g_string_append_c(out, s[i]);
    }
    return g_string_free(out, FALSE);
}

/* Split at unescaped SEP, each part unescaped. */
static GPtrArray *
split_value(const char *s, char sep)
{
    GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
    const char *start = s, *p = s;
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == sep) {
            g_ptr_array_add(parts, unescape_text(start, (gsize)(p - start)));
            start = p + 1;
        }
    }
    g_ptr_array_add(parts, unescape_text(start, (gsize)(p - start)));
    return parts;
}

static char *
nonempty(char *s)
{
    if (s)
        g_strstrip(s);
    if (s && !*s) {
        g_free(s);
        return NULL;
    }
    return s;
}

/* ---- properties --------------------------------------------------------- */

static const Param *
find_param(const Prop *p, const char *name)
{
    for (guint i = 0; i < p->params->len; i++) {
        const Param *pa = p->params->pdata[i];
        if (strcmp(pa->name, name) == 0)
            return pa;
    }
    return NULL;
}

/* Parse "group.NAME;p=v;...:value".  FALSE (and *why) when malformed. */
static gboolean
parse_prop(const char *line, Prop *out, const char **why)
{
    const char *colon = find_value_colon(line);
    if (!colon) {
        *why = N_("no ':' in the line (a folded line without its leading space?)");
        return FALSE;
    }
    /* Name up to the first ';' or the colon. */
    const char *semi = memchr(line, ';', (gsize)(colon - line));
    const char *name_end = semi ? semi : colon;
    g_autofree char *full = g_strndup(line, (gsize)(name_end - line));
    g_strstrip(full);
    char *dot = strrchr(full, '.');
    const char *name = dot ? dot + 1 : full;
    if (!*name) {
        *why = N_("property without a name");
        return FALSE;
    }
    for (const char *q = full; *q; q++) {
        if (!g_ascii_isalnum(*q) && *q != '-' && *q != '.' && *q != '_') {
            *why = N_("invalid character in the property name");
            return FALSE;
        }
    }
    out->group = dot ? g_strndup(full, (gsize)(dot - full)) : NULL;
    out->name = g_ascii_strup(name, -1);
    out->raw_name = g_strdup(name);
    out->params = g_ptr_array_new_with_free_func(param_free);

    /* Parameters, split at ';' outside quotes. */
    const char *p = semi;
    while (p && p < colon) {
        p++;                                   /* skip ';' */
        const char *s = p;
        gboolean in_q = FALSE;
        while (p < colon && (in_q || *p != ';')) {
            if (*p == '"')
                in_q = !in_q;
            p++;
        }
        if (p == s)
            continue;
        Param *pa = g_new0(Param, 1);
        const char *eq = memchr(s, '=', (gsize)(p - s));
        if (eq) {
            g_autofree char *pn = g_strndup(s, (gsize)(eq - s));
            pa->name = g_ascii_strup(g_strstrip(pn), -1);
            const char *v = eq + 1;
            gsize vl = (gsize)(p - v);
            /* A value in quotes; a list "a","b" stays as written. */
            if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"' &&
                !memchr(v + 1, '"', vl - 2)) {
                pa->quoted = TRUE;
                v++;
                vl -= 2;
            }
            g_autofree char *decoded = caret_decode(v, vl);
            /* Parameters carry no charset of their own. */
            pa->value = abook_to_utf8(decoded, -1, NULL, NULL);
        } else {
            g_autofree char *pn = g_strndup(s, (gsize)(p - s));
            pa->name = g_ascii_strup(g_strstrip(pn), -1);
        }
        /* A name we could not write back is dropped, not the property. */
        gboolean good = *pa->name != '\0';
        for (const char *c = pa->name; *c && good; c++)
            good = g_ascii_isalnum(*c) || *c == '-' || *c == '_';
        if (good)
            g_ptr_array_add(out->params, pa);
        else
            param_free(pa);
        if (p >= colon)
            break;
    }

    const char *value = colon + 1;
    const Param *enc = find_param(out, "ENCODING");
    const char *encv = enc ? (enc->value ? enc->value : enc->name) : NULL;
    gboolean qp = (encv && g_ascii_strcasecmp(encv, "QUOTED-PRINTABLE") == 0) ||
                  find_param(out, "QUOTED-PRINTABLE") != NULL;
    gboolean b64 = (encv && (g_ascii_strcasecmp(encv, "b") == 0 ||
                             g_ascii_strcasecmp(encv, "BASE64") == 0)) ||
                   find_param(out, "BASE64") != NULL;
    const Param *cs = find_param(out, "CHARSET");
    const char *charset = cs && cs->value ? cs->value : NULL;
    if (b64) {
        /* Never decoded: photos and keys are kept byte for byte. */
        out->binary = TRUE;
        out->value = g_utf8_make_valid(value, -1);
    } else if (qp) {
        GByteArray *bytes = qp_decode(value);
        out->value = abook_to_utf8((const char *)bytes->data, (gssize)bytes->len,
                                   charset, NULL);
        g_byte_array_unref(bytes);
        out->decoded_qp = TRUE;
    } else {
        out->value = abook_to_utf8(value, -1, charset, NULL);
    }
    return TRUE;
}

/* The property as a vCard 4.0 line, for properties kept unchanged.  What
 * we decoded (QP, CHARSET) is no longer said; bare 2.1 parameters become
 * TYPE= (or ENCODING=). */
static char *
prop_to_line(const Prop *p)
{
    GString *s = g_string_new(NULL);
    if (p->group)
        g_string_append_printf(s, "%s.", p->group);
    g_string_append(s, p->raw_name);
    for (guint i = 0; i < p->params->len; i++) {
        const Param *pa = p->params->pdata[i];
        if (strcmp(pa->name, "CHARSET") == 0)
            continue;
        if (p->decoded_qp && (strcmp(pa->name, "QUOTED-PRINTABLE") == 0 ||
                              (strcmp(pa->name, "ENCODING") == 0 && pa->value &&
                               g_ascii_strcasecmp(pa->value, "QUOTED-PRINTABLE") == 0)))
            continue;
        if (!pa->value) {
            if (strcmp(pa->name, "BASE64") == 0 || strcmp(pa->name, "QUOTED-PRINTABLE") == 0)
                g_string_append_printf(s, ";ENCODING=%s", pa->name);
            else
                g_string_append_printf(s, ";TYPE=%s", pa->name);
            continue;
        }
        gboolean quote = pa->quoted || strpbrk(pa->value, ":;,\"\n") != NULL;
        g_string_append_printf(s, ";%s=", pa->name);
        if (quote)
            g_string_append_c(s, '"');
        for (const char *c = pa->value; *c; c++) {
            if (*c == '\n')
                g_string_append(s, "^n");
            else if (*c == '^')
                g_string_append(s, "^^");
            else if (*c == '"')
                g_string_append(s, "^'");
            else
                g_string_append_c(s, *c);
        }
        if (quote)
            g_string_append_c(s, '"');
    }
    g_string_append_c(s, ':');
    for (const char *c = p->value; *c; c++) {
        if (*c == '\n')
            g_string_append(s, "\\n");
        else if (*c != '\r')
            g_string_append_c(s, *c);
    }
    return g_string_free(s, FALSE);
}

/* ---- cards -------------------------------------------------------------- */

typedef struct {
    const char *name;
    AbookImportReport *report;
    AbookContact *c;     /* the card being read, or NULL outside one */
    guint begin_line;
    gboolean has_fn;
    gboolean own_file;   /* our own contacts file: no notes about what we kept */
} Reader;

static void
add_email(Reader *r, const Prop *p)
{
    g_autofree char *v = unescape_text(p->value, strlen(p->value));
    g_strstrip(v);
    const char *addr = v;
    if (g_ascii_strncasecmp(addr, "mailto:", 7) == 0)
        addr += 7;
    if (!abook_address_valid(addr)) {
        if (!r->own_file)
            abook_report(r->report, r->name, p->line,
                     _("'%s' is not a mail address; kept as an unknown property"), v);
        g_ptr_array_add(r->c->extra, prop_to_line(p));
        return;
    }
    /* TYPE values, without the 2.1/3.0 ones that mean nothing in 4.0. */
    GString *types = g_string_new(NULL);
    int pref = 0;
    for (guint i = 0; i < p->params->len; i++) {
        const Param *pa = p->params->pdata[i];
        const char *vals = NULL;
        if (strcmp(pa->name, "TYPE") == 0 && pa->value)
            vals = pa->value;
        else if (!pa->value)
            vals = pa->name;
        else if (strcmp(pa->name, "PREF") == 0) {
            int n = atoi(pa->value);
            pref = CLAMP(n, 1, 100);
        }
        if (!vals)
            continue;
        g_auto(GStrv) list = g_strsplit(vals, ",", -1);
        for (int k = 0; list[k]; k++) {
            g_autofree char *t = g_ascii_strdown(g_strstrip(list[k]), -1);
            if (!*t || strcmp(t, "internet") == 0 || strcmp(t, "x400") == 0 ||
                strcmp(t, "quoted-printable") == 0 || strcmp(t, "base64") == 0)
                continue;
            if (strcmp(t, "pref") == 0) {
                if (!pref)
                    pref = 1;
                continue;
            }
            if (types->len)
                g_string_append_c(types, ',');
            g_string_append(types, t);
        }
    }
    abook_contact_add_email(r->c, addr, types->len ? types->str : NULL, pref);
    g_string_free(types, TRUE);
}

static void
set_text(char **field, const Prop *p)
{
    g_free(*field);
    *field = nonempty(unescape_text(p->value, strlen(p->value)));
}

static void
handle_prop(Reader *r, Prop *p)
{
    AbookContact *c = r->c;
    const char *n = p->name;
    if (p->binary) {
        g_ptr_array_add(c->extra, prop_to_line(p));
    } else if (strcmp(n, "VERSION") == 0 || strcmp(n, "PRODID") == 0) {
        /* we write our own */
    } else if (strcmp(n, "FN") == 0 && !r->has_fn) {
        set_text(&c->fn, p);
        r->has_fn = c->fn != NULL;
    } else if (strcmp(n, "N") == 0) {
        g_autoptr(GPtrArray) parts = split_value(p->value, ';');
        char **fields[] = { &c->family, &c->given, &c->additional, &c->prefix, &c->suffix };
        for (guint i = 0; i < G_N_ELEMENTS(fields) && i < parts->len; i++) {
            g_free(*fields[i]);
            *fields[i] = nonempty(g_strdup(parts->pdata[i]));
        }
    } else if (strcmp(n, "NICKNAME") == 0) {
        g_autoptr(GPtrArray) parts = split_value(p->value, ',');
        for (guint i = 0; i < parts->len; i++)
            abook_contact_add_nickname(c, parts->pdata[i]);
    } else if (strcmp(n, "EMAIL") == 0) {
        add_email(r, p);
    } else if (strcmp(n, "ORG") == 0 && !c->org) {
        g_autoptr(GPtrArray) parts = split_value(p->value, ';');
        g_ptr_array_add(parts, NULL);
        c->org = nonempty(g_strjoinv(";", (char **)parts->pdata));
    } else if (strcmp(n, "NOTE") == 0) {
        g_autofree char *t = nonempty(unescape_text(p->value, strlen(p->value)));
        if (t && c->note) {
            char *j = g_strconcat(c->note, "\n", t, NULL);
            g_free(c->note);
            c->note = j;
        } else if (t) {
            c->note = g_steal_pointer(&t);
        }
    } else if ((strcmp(n, "KIND") == 0 || strcmp(n, "X-ADDRESSBOOKSERVER-KIND") == 0) &&
               (g_ascii_strcasecmp(g_strstrip(p->value), "group") == 0 ||
                g_ascii_strcasecmp(p->value, "individual") == 0)) {
        c->is_group = g_ascii_strcasecmp(p->value, "group") == 0;
    } else if (strcmp(n, "MEMBER") == 0 || strcmp(n, "X-ADDRESSBOOKSERVER-MEMBER") == 0) {
        g_autofree char *v = g_strstrip(g_strdup(p->value));
        if (*v)
            g_ptr_array_add(c->members, g_steal_pointer(&v));
    } else if (strcmp(n, "UID") == 0 && !c->uid) {
        c->uid = nonempty(g_strdup(p->value));
    } else {
        g_ptr_array_add(c->extra, prop_to_line(p));
    }
}

static void
end_card(Reader *r, GPtrArray *out)
{
    AbookContact *c = r->c;
    r->c = NULL;
    abook_contact_fill_fn(c);
    if (!c->fn || !*c->fn) {
        abook_report(r->report, r->name, r->begin_line,
                     _("vCard without a name or an address, skipped"));
        abook_contact_free(c);
        return;
    }
    abook_contact_index(c);
    g_ptr_array_add(out, c);
}

static gboolean
parse_vcard(const char *data, gsize len, const char *name, gboolean own_file,
            GPtrArray *out, AbookImportReport *report, GError **error)
{
    Lines l = { data, data + len, 0 };
    Reader r = { name, report, NULL, 0, FALSE, own_file };
    guint nested = 0;            /* depth of skipped AGENT vCards */
    gboolean any_card = FALSE;
    char *next;
    guint lineno, stray;

    /* A UTF-8 byte order mark is not part of the first line. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        l.p += 3;

    while ((next = next_logical(&l, &lineno, &stray))) {
        g_autofree char *line = next;
        if (stray)
            abook_report(report, name, stray,
                         _("no ':' in the line: taken as the rest of the line before "
                           "(folded without the leading space?)"));
        if (!*g_strstrip(line))
            continue;
        Prop p = { 0 };
        const char *why = NULL;
        p.line = lineno;
        if (line[0] == ' ' || line[0] == '\t' || !parse_prop(line, &p, &why)) {
            if (!why)
                why = N_("continuation line without a property before it");
            abook_report(report, name, lineno, "%s, %s", _(why), _("skipped"));
            prop_clear(&p);
            continue;
        }
        if (strcmp(p.name, "BEGIN") == 0 && g_ascii_strcasecmp(g_strstrip(p.value), "VCARD") == 0) {
            if (r.c) {
                if (nested++ == 0)
                    abook_report(report, name, lineno,
                                 _("vCard inside a vCard (AGENT) skipped"));
            } else {
                r.c = abook_contact_new();
                r.begin_line = lineno;
                r.has_fn = FALSE;
                any_card = TRUE;
            }
        } else if (strcmp(p.name, "END") == 0 && g_ascii_strcasecmp(g_strstrip(p.value), "VCARD") == 0) {
            if (nested > 0)
                nested--;
            else if (r.c)
                end_card(&r, out);
            else
                abook_report(report, name, lineno, _("END:VCARD without BEGIN:VCARD, skipped"));
        } else if (nested > 0) {
            /* inside a skipped AGENT card */
        } else if (!r.c) {
            abook_report(report, name, lineno, _("property '%s' outside a vCard, skipped"), p.name);
        } else {
            handle_prop(&r, &p);
        }
        prop_clear(&p);
    }
    if (r.c) {
        abook_report(report, name, r.begin_line,
                     _("vCard not ended by END:VCARD at the end of the file; read anyway"));
        end_card(&r, out);
    }
    if (!any_card) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: no BEGIN:VCARD found; not a vCard file"), name);
        return FALSE;
    }
    return TRUE;
}

gboolean
abook_parse_vcard(const char *data, gsize len, const char *name,
                  GPtrArray *out, AbookImportReport *report, GError **error)
{
    return parse_vcard(data, len, name, FALSE, out, report, error);
}

gboolean
abook_parse_vcard_own(const char *data, gsize len, const char *name,
                      GPtrArray *out, AbookImportReport *report, GError **error)
{
    return parse_vcard(data, len, name, TRUE, out, report, error);
}
