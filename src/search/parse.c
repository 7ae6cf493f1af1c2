/* Parsing mutt's pattern language into a tree (see pattern.h).  Every
 * error names the character position and what was expected there. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "search/private.h"
#include "util/util.h"

typedef struct {
    const char *s;
    gsize pos;
    gint64 now;
    int depth;
    GError **error;
} Parser;

/* Nesting beyond this is refused (no stack exhaustion on hostile text). */
#define MAX_DEPTH 200

static PatternNode *
node_new(PatternKind kind)
{
    PatternNode *n = g_new0(PatternNode, 1);
    n->kind = kind;
    return n;
}

void
pattern_node_free(PatternNode *n)
{
    if (!n)
        return;
    pattern_node_free(n->a);
    pattern_node_free(n->b);
    g_free(n->str);
    g_free(n->hits);
    g_free(n);
}

static gboolean
fail(Parser *p, const char *what)
{
    if (p->error && !*p->error)
        g_set_error(p->error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("pattern, at character %u: %s"), (unsigned)p->pos + 1, what);
    return FALSE;
}

static void
skip_space(Parser *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
        p->pos++;
}

/* An argument: "quoted" or 'quoted' (backslash escapes the next
 * character), or a bare word ending at white space, '|' or a ')' that
 * closes an open parenthesis. */
static char *
parse_word(Parser *p)
{
    skip_space(p);
    char c = p->s[p->pos];
    if (c == '\0' || c == '|' || (c == ')' && p->depth > 0)) {
        fail(p, _("an argument was expected"));
        return NULL;
    }
    GString *w = g_string_new(NULL);
    if (c == '"' || c == '\'') {
        p->pos++;
        while (p->s[p->pos] && p->s[p->pos] != c) {
            if (p->s[p->pos] == '\\' && p->s[p->pos + 1])
                p->pos++;
            g_string_append_c(w, p->s[p->pos++]);
        }
        if (p->s[p->pos] != c) {
            g_string_free(w, TRUE);
            fail(p, _("the closing quote is missing"));
            return NULL;
        }
        p->pos++;
        return g_string_free(w, FALSE);
    }
    for (;;) {
        c = p->s[p->pos];
        if (c == '\0' || c == ' ' || c == '\t' || c == '|' || (c == ')' && p->depth > 0))
            break;
        if (c == '\\' && p->s[p->pos + 1])
            c = p->s[++p->pos];
        g_string_append_c(w, c);
        p->pos++;
    }
    return g_string_free(w, FALSE);
}

/* ---- dates: mutt's DD[/MM[/[YY]YY]], ranges, <N >N =N units --------- */

static GDateTime *
local_day(int y, int m, int d)
{
    if (m < 1 || m > 12 || d < 1 || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
        return NULL;
    return g_date_time_new_local(y, m, d, 0, 0, 0);
}

/* One absolute date; *START of its day, *END its last second. */
static gboolean
parse_abs_date(Parser *p, const char *text, gint64 *start, gint64 *end)
{
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_local(p->now);
    int d = 0, m = g_date_time_get_month(now), y = g_date_time_get_year(now);
    char *rest;
    long v = strtol(text, &rest, 10);
    if (rest == text || v < 1 || v > 31)
        return fail(p, _("a date (DD/MM/YYYY) was expected"));
    d = (int)v;
    if (*rest == '/') {
        const char *t = rest + 1;
        v = strtol(t, &rest, 10);
        if (rest == t || v < 1 || v > 12)
            return fail(p, _("a month (1-12) was expected"));
        m = (int)v;
        if (*rest == '/') {
            t = rest + 1;
            v = strtol(t, &rest, 10);
            if (rest == t || v < 0 || v > 9999)
                return fail(p, _("a year was expected"));
            y = (int)v;
            if (rest - t <= 2)
                y += y < 70 ? 2000 : 1900;   /* mutt's two-digit years */
        }
    }
    if (*rest)
        return fail(p, _("a date (DD/MM/YYYY) was expected"));
    g_autoptr(GDateTime) day = local_day(y, m, d);
    if (!day)
        return fail(p, _("no such day"));
    g_autoptr(GDateTime) next = g_date_time_add_days(day, 1);
    *start = g_date_time_to_unix(day);
    *end = g_date_time_to_unix(next) - 1;
    return TRUE;
}

/* NOW moved back by N units of U (y m w d H M S). */
static gboolean
back_from_now(Parser *p, const char *text, gint64 *out)
{
    char *rest;
    long n = strtol(text, &rest, 10);
    if (rest == text || n < 0 || n > 100000)
        return fail(p, _("a number of units (e.g. 3d) was expected"));
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_local(p->now);
    GDateTime *t = NULL;
    char u = *rest ? *rest : 'd';
    if (*rest && rest[1])
        return fail(p, _("a unit (y, m, w, d, H, M or S) was expected"));
    switch (u) {
    case 'y': t = g_date_time_add_years(now, (int)-n); break;
    case 'm': t = g_date_time_add_months(now, (int)-n); break;
    case 'w': t = g_date_time_add_weeks(now, (int)-n); break;
    case 'd': t = g_date_time_add_days(now, (int)-n); break;
    case 'H': t = g_date_time_add_hours(now, (int)-n); break;
    case 'M': t = g_date_time_add_minutes(now, (gint64)-n); break;
    case 'S': t = g_date_time_add_seconds(now, (gdouble)-n); break;
    default:
        return fail(p, _("a unit (y, m, w, d, H, M or S) was expected"));
    }
    if (!t)
        return fail(p, _("the date is out of range"));
    *out = g_date_time_to_unix(t);
    g_date_time_unref(t);
    return TRUE;
}

static gboolean
parse_date_range(Parser *p, const char *w, PatternNode *n)
{
    n->min = G_MININT64;
    n->max = G_MAXINT64;
    gint64 s = 0, e = 0;
    if (w[0] == '<' || w[0] == '>' || w[0] == '=') {
        gint64 t = 0;
        if (!back_from_now(p, w + 1, &t))
            return FALSE;
        if (w[0] == '<')          /* newer than */
            n->min = t;
        else if (w[0] == '>')     /* older than */
            n->max = t;
        else {                    /* that day */
            g_autoptr(GDateTime) d = g_date_time_new_from_unix_local(t);
            g_autoptr(GDateTime) day = local_day(g_date_time_get_year(d),
                                                 g_date_time_get_month(d),
                                                 g_date_time_get_day_of_month(d));
            if (!day)
                return fail(p, _("the date is out of range"));
            n->min = g_date_time_to_unix(day);
            n->max = n->min + 86400 - 1;
        }
        return TRUE;
    }
    const char *dash = strchr(w, '-');
    if (!dash) {
        if (!parse_abs_date(p, w, &s, &e))
            return FALSE;
        n->min = s;
        n->max = e;
        return TRUE;
    }
    g_autofree char *from = g_strndup(w, (gsize)(dash - w));
    const char *to = dash + 1;
    if (!*from && !*to)
        return fail(p, _("a date range (FROM-TO) was expected"));
    if (*from) {
        if (!parse_abs_date(p, from, &s, &e))
            return FALSE;
        n->min = s;
    }
    if (*to) {
        if (!parse_abs_date(p, to, &s, &e))
            return FALSE;
        n->max = e;
    }
    if (n->min > n->max)
        return fail(p, _("the range ends before it starts"));
    return TRUE;
}

/* ---- sizes: [MIN]-[MAX], <N, >N, N; K and M suffixes ------------------ */

static gboolean
parse_size(Parser *p, const char *text, gint64 *out)
{
    char *rest;
    if (!g_ascii_isdigit(text[0]))
        return fail(p, _("a size (e.g. 10K) was expected"));
    guint64 v = g_ascii_strtoull(text, &rest, 10);
    gint64 mult = 1;
    if (*rest == 'K' || *rest == 'k')
        mult = 1024, rest++;
    else if (*rest == 'M' || *rest == 'm')
        mult = 1024 * 1024, rest++;
    if (*rest || v > (guint64)G_MAXINT64 / (guint64)mult)
        return fail(p, _("a size (e.g. 10K) was expected"));
    *out = (gint64)v * mult;
    return TRUE;
}

static gboolean
parse_size_range(Parser *p, const char *w, PatternNode *n)
{
    gint64 v;
    n->min = 0;
    n->max = G_MAXINT64;
    if (w[0] == '<' || w[0] == '>') {
        if (!parse_size(p, w + 1, &v))
            return FALSE;
        if (w[0] == '<')
            n->max = v - 1;
        else
            n->min = v + 1;
        return TRUE;
    }
    const char *dash = strchr(w, '-');
    if (!dash) {
        if (!parse_size(p, w[0] == '=' ? w + 1 : w, &v))
            return FALSE;
        n->min = n->max = v;
        return TRUE;
    }
    g_autofree char *from = g_strndup(w, (gsize)(dash - w));
    if (!*from && !dash[1])
        return fail(p, _("a size range (MIN-MAX) was expected"));
    if (*from && !parse_size(p, from, &n->min))
        return FALSE;
    if (dash[1] && !parse_size(p, dash + 1, &n->max))
        return FALSE;
    if (n->min > n->max)
        return fail(p, _("the range ends before it starts"));
    return TRUE;
}

/* ---- the grammar ----------------------------------------------------- */

static PatternNode *parse_or(Parser *p);

static PatternNode *
string_atom(Parser *p, PatternKind kind)
{
    g_autofree char *w = parse_word(p);
    if (!w)
        return NULL;
    if (!*w) {
        fail(p, _("an argument was expected"));
        return NULL;
    }
    if (!g_utf8_validate(w, -1, NULL)) {
        fail(p, _("the text is not valid UTF-8"));
        return NULL;
    }
    PatternNode *n = node_new(kind);
    n->str = pattern_fold_needle(w, &n->case_sensitive);
    return n;
}

static PatternNode *
parse_atom(Parser *p)
{
    static const struct { char c; PatternKind kind; } simple[] = {
        { 'N', PN_NEW }, { 'O', PN_OLD }, { 'U', PN_UNREAD }, { 'R', PN_READ },
        { 'Q', PN_REPLIED }, { 'F', PN_FLAGGED }, { 'D', PN_DELETED },
        { 'T', PN_TAGGED }, { 'A', PN_ALL },
    };
    static const struct { char c; PatternKind kind; } strings[] = {
        { 'f', PN_FROM }, { 't', PN_TO }, { 'c', PN_CC }, { 's', PN_SUBJECT },
        { 'b', PN_BODY }, { 'B', PN_WHOLE }, { 'h', PN_HEADER },
    };
    p->pos++;   /* the '~' */
    char c = p->s[p->pos];
    if (c)
        p->pos++;
    for (gsize i = 0; i < G_N_ELEMENTS(simple); i++)
        if (simple[i].c == c)
            return node_new(simple[i].kind);
    for (gsize i = 0; i < G_N_ELEMENTS(strings); i++)
        if (strings[i].c == c)
            return string_atom(p, strings[i].kind);
    if (c == 'd' || c == 'z') {
        g_autofree char *w = parse_word(p);
        if (!w)
            return NULL;
        PatternNode *n = node_new(c == 'd' ? PN_DATE : PN_SIZE);
        if (!(c == 'd' ? parse_date_range(p, w, n) : parse_size_range(p, w, n))) {
            pattern_node_free(n);
            return NULL;
        }
        return n;
    }
    if (c)
        p->pos--;
    fail(p, _("one of ~f ~t ~c ~s ~b ~B ~h ~N ~O ~U ~R ~Q ~F ~D ~T ~A ~d ~z was expected"));
    return NULL;
}

static PatternNode *
parse_unary(Parser *p)
{
    skip_space(p);
    char c = p->s[p->pos];
    if (c == '!') {
        p->pos++;
        PatternNode *a = parse_unary(p);
        if (!a)
            return NULL;
        PatternNode *n = node_new(PN_NOT);
        n->a = a;
        return n;
    }
    if (c == '(') {
        if (p->depth >= MAX_DEPTH) {
            fail(p, _("too many nested parentheses"));
            return NULL;
        }
        p->pos++;
        p->depth++;
        PatternNode *n = parse_or(p);
        p->depth--;
        if (!n)
            return NULL;
        skip_space(p);
        if (p->s[p->pos] != ')') {
            pattern_node_free(n);
            fail(p, _("')' was expected"));
            return NULL;
        }
        p->pos++;
        return n;
    }
    if (c == '~')
        return parse_atom(p);
    fail(p, c ? _("a pattern (~X, '!' or '(') was expected")
              : _("the pattern ends too early"));
    return NULL;
}

static PatternNode *
parse_and(Parser *p)
{
    PatternNode *left = parse_unary(p);
    for (;;) {
        if (!left)
            return NULL;
        skip_space(p);
        char c = p->s[p->pos];
        if (c == '\0' || c == '|' || c == ')')
            return left;
        PatternNode *right = parse_unary(p);
        if (!right) {
            pattern_node_free(left);
            return NULL;
        }
        PatternNode *n = node_new(PN_AND);
        n->a = left;
        n->b = right;
        left = n;
    }
}

static PatternNode *
parse_or(Parser *p)
{
    PatternNode *left = parse_and(p);
    for (;;) {
        if (!left)
            return NULL;
        skip_space(p);
        if (p->s[p->pos] != '|')
            return left;
        p->pos++;
        PatternNode *right = parse_and(p);
        if (!right) {
            pattern_node_free(left);
            return NULL;
        }
        PatternNode *n = node_new(PN_OR);
        n->a = left;
        n->b = right;
        left = n;
    }
}

Pattern *
pattern_parse(const char *text, gint64 now, GError **error)
{
    Parser p = { .s = text, .now = now, .error = error };
    PatternNode *root;
    if (!strchr(text, '~')) {
        /* A simple search, as mutt's simple_search "~f %s | ~s %s". */
        g_autofree char *t = g_strstrip(g_strdup(text));
        if (!*t || !g_utf8_validate(t, -1, NULL)) {
            fail(&p, *t ? _("the text is not valid UTF-8") : _("the pattern is empty"));
            return NULL;
        }
        root = node_new(PN_SIMPLE);
        root->str = pattern_fold_needle(t, &root->case_sensitive);
    } else {
        root = parse_or(&p);
        if (root) {
            skip_space(&p);
            if (p.s[p.pos] != '\0') {
                fail(&p, p.s[p.pos] == ')' ? _("')' without '('")
                                           : _("the end of the pattern was expected"));
                g_clear_pointer(&root, pattern_node_free);
            }
        }
        if (!root)
            return NULL;
    }
    Pattern *pat = g_new0(Pattern, 1);
    pat->root = root;
    return pat;
}

void
pattern_free(Pattern *p)
{
    if (!p)
        return;
    pattern_node_free(p->root);
    g_free(p);
}

static gboolean
uses_text(const PatternNode *n)
{
    if (!n)
        return FALSE;
    if (n->kind == PN_BODY || n->kind == PN_WHOLE || n->kind == PN_HEADER)
        return TRUE;
    return uses_text(n->a) || uses_text(n->b);
}

gboolean
pattern_uses_text(const Pattern *p)
{
    return uses_text(p->root);
}
