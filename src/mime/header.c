/* Header fields for every module (header.h): decoding, walking, address
 * lists, and the few things outgoing mail needs from GMime. */
#include <config.h>

#include <string.h>

#include "mime/header.h"
#include "mime/private.h"

void
mime_shutdown(void)
{
    g_mime_shutdown();
}

gboolean
mime_header_foreach(const char *msg, gsize len, MimeFieldFunc fn, gpointer data)
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
        /* A field name is printable ASCII without spaces (RFC 5322 2.2;
         * white space before the colon is obsolete syntax): an mbox
         * "From " line or a body line is none. */
        gboolean valid = name->len > 0;
        for (gsize i = 0; i < name->len && valid; i++)
            valid = name->str[i] > ' ' && name->str[i] < 0x7f;
        if (!valid)
            continue;
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

void
mime_mailbox_free(MimeMailbox *m)
{
    if (!m)
        return;
    g_free(m->name);
    g_free(m->address);
    g_free(m->wire);
    g_free(m);
}

static void
flatten(InternetAddressList *list, GPtrArray *out, int depth)
{
    int n = internet_address_list_length(list);
    for (int i = 0; i < n && depth < MIME_MAX_DEPTH; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            flatten(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out,
                    depth + 1);
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        const char *name = internet_address_get_name(ia);
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
        const char *wire = internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(ia));
        MimeMailbox *m = g_new0(MimeMailbox, 1);
        m->name = name && *name ? g_strdup(name) : NULL;
        m->address = g_strdup(addr ? addr : "");
        m->wire = g_strdup(wire ? wire : m->address);
        g_ptr_array_add(out, m);
    }
}

static InternetAddressList *
parse_list(const char *value)
{
    if (!value)
        return NULL;
    mime_init();
    g_autofree char *fixed = mime_fix_encoded_words(value);
    return internet_address_list_parse(mime_parser_options(), fixed ? fixed : value);
}

GPtrArray *
mime_address_list_parse(const char *value)
{
    InternetAddressList *list = parse_list(value);
    if (!list)
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)mime_mailbox_free);
    flatten(list, out, 0);
    g_object_unref(list);
    return out;
}

/* In S, each address of LIST whose domain RAW has in Unicode, not in
 * its ASCII form, written as RAW has it. */
static void
unicode_domains(InternetAddressList *list, const char *raw_lower, GString *s, int depth)
{
    int n = internet_address_list_length(list);
    for (int i = 0; i < n && depth < MIME_MAX_DEPTH; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            unicode_domains(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
                            raw_lower, s, depth + 1);
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
        const char *ascii = internet_address_mailbox_get_idn_addr(mb);
        const char *addr = internet_address_mailbox_get_addr(mb);
        const char *at = ascii ? strrchr(ascii, '@') : NULL;
        if (!at || !addr || strcmp(ascii, addr) == 0 || !g_utf8_validate(addr, -1, NULL))
            continue;
        g_autofree char *domain = g_ascii_strdown(at + 1, -1);
        if (strstr(raw_lower, domain))
            continue;                   /* sent as xn--: shown so */
        GString *with = g_string_new(NULL);
        const char *p = s->str, *hit;
        while ((hit = strstr(p, ascii))) {
            g_string_append_len(with, p, hit - p);
            g_string_append(with, addr);
            p = hit + strlen(ascii);
        }
        g_string_append(with, p);
        g_string_assign(s, with->str);
        g_string_free(with, TRUE);
    }
}

char *
mime_address_list_string(InternetAddressList *list, const char *raw)
{
    if (!list || internet_address_list_length(list) == 0)
        return NULL;
    char *s = internet_address_list_to_string(list, NULL, FALSE);
    if (!s || !*s) {
        g_free(s);
        return NULL;
    }
    if (!raw || !strstr(s, "xn--"))
        return s;
    GString *out = g_string_new(s);
    g_free(s);
    g_autofree char *raw_lower = g_ascii_strdown(raw, -1);
    unicode_domains(list, raw_lower, out, 0);
    return g_string_free(out, FALSE);
}

char *
mime_address_list_display(const char *value)
{
    InternetAddressList *list = parse_list(value);
    char *s = mime_address_list_string(list, value);
    if (list)
        g_object_unref(list);
    return s;
}

char *
mime_mailbox_format(const char *name, const char *address)
{
    mime_init();
    InternetAddress *ia = internet_address_mailbox_new(name, address);
    char *s = internet_address_to_string(ia, NULL, TRUE);
    g_object_unref(ia);
    return s;
}

char *
mime_message_id_new(const char *domain)
{
    mime_init();
    return g_mime_utils_generate_message_id(domain);
}

char *
mime_date_format(GDateTime *dt)
{
    mime_init();
    return g_mime_utils_header_format_date(dt);
}

GDateTime *
mime_date_parse(const char *value)
{
    if (!value)
        return NULL;
    mime_init();
    return g_mime_utils_header_decode_date(value);
}

/* An outgoing MESSAGE parsed for re-encoding: postie's own text, so
 * only the repair without which GMime cannot write it back. */
static GMimeMessage *
parse_outgoing(const char *message, gsize len)
{
    mime_init();
    GMimeStream *in = g_mime_stream_mem_new_with_buffer(message, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(in);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, mime_parser_options());
    g_object_unref(parser);
    g_object_unref(in);
    if (msg)
        mime_fill_bodiless_parts(GMIME_OBJECT(msg), 0);
    return msg;
}

/* MSG as text with LF line ends (without Bcc when HIDE_BCC); MSG is
 * released. */
static GString *
write_outgoing(GMimeMessage *msg, gboolean hide_bcc)
{
    GMimeFormatOptions *fo = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_UNIX);
    if (hide_bcc)
        g_mime_format_options_add_hidden_header(fo, "Bcc");
    char *s = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
    g_mime_format_options_free(fo);
    g_object_unref(msg);
    GString *out = g_string_new(s);
    g_free(s);
    return out;
}

GString *
mime_encode_7bit(const char *message, gsize len)
{
    GMimeMessage *msg = parse_outgoing(message, len);
    if (!msg)
        return NULL;
    g_mime_object_encode(GMIME_OBJECT(msg), GMIME_ENCODING_CONSTRAINT_7BIT);
    if (!g_mime_object_get_header(GMIME_OBJECT(msg), "MIME-Version"))
        g_mime_object_set_header(GMIME_OBJECT(msg), "MIME-Version", "1.0", NULL);
    return write_outgoing(msg, TRUE);
}

static gboolean
has_8bit(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s & 0x80)
            return TRUE;
    return FALSE;
}

/* Raw 8-bit in a header list: the fields get their decoded value set
 * again, which GMime writes as RFC 2047 encoded-words (address fields
 * through its address formatter: names encoded, addresses kept). */
static void
encode_header_list(GMimeHeaderList *list)
{
    int n = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
        const char *raw = g_mime_header_get_raw_value(h);
        if (!raw || !has_8bit(raw))
            continue;
        g_autofree char *value = g_strdup(g_mime_header_get_value(h));
        if (!value || !g_utf8_validate(value, -1, NULL))
            continue;   /* GMime always decodes to UTF-8; be safe */
        g_mime_header_set_value(h, NULL, value, "utf-8");
    }
}

static void
encode_part_headers(GMimeObject *parent, GMimeObject *part, gpointer data)
{
    (void)parent;
    (void)data;
    encode_header_list(g_mime_object_get_header_list(part));
}

GString *
mime_encode_8bit_headers(const char *message, gsize len)
{
    GMimeMessage *msg = parse_outgoing(message, len);
    if (!msg)
        return NULL;
    encode_header_list(g_mime_object_get_header_list(GMIME_OBJECT(msg)));
    g_mime_message_foreach(msg, encode_part_headers, NULL);
    return write_outgoing(msg, FALSE);
}

typedef struct {
    const char *name;
    char *value;
} Lookup;

static gboolean
lookup_cb(const char *name, const char *value, gpointer data)
{
    Lookup *l = data;
    if (g_ascii_strcasecmp(name, l->name) != 0)
        return FALSE;
    l->value = g_strstrip(g_strdup(value));
    return TRUE;
}

char *
mime_header_get(const char *msg, gsize len, const char *name)
{
    Lookup l = { name, NULL };
    mime_header_foreach(msg, len, lookup_cb, &l);
    return l.value;
}
