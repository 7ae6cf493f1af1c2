/* Outgoing mail from a draft.  GMime does the encoding work (RFC 2047
 * words, RFC 2231 parameters, folding, QP/base64 choice); this file says
 * what goes where, checks what the user typed, and keeps message text from
 * ever breaking a header line. */
#include <config.h>

#include <string.h>

#include <glib/gstdio.h>

#include "mime/private.h"

MimeDraft *
mime_draft_new(void)
{
    MimeDraft *d = g_new0(MimeDraft, 1);
    d->attachments = g_ptr_array_new_with_free_func(g_free);
    return d;
}

void
mime_draft_free(MimeDraft *d)
{
    if (!d)
        return;
    g_free(d->from_name);
    g_free(d->from_address);
    g_free(d->to);
    g_free(d->cc);
    g_free(d->bcc);
    g_free(d->subject);
    g_free(d->in_reply_to);
    g_free(d->references);
    g_free(d->body);
    if (d->attachments)
        g_ptr_array_unref(d->attachments);
    if (d->forward_message)
        g_bytes_unref(d->forward_message);
    if (d->attachment_dir) {
        GDir *dir = g_dir_open(d->attachment_dir, 0, NULL);
        const char *name;
        while (dir && (name = g_dir_read_name(dir))) {
            g_autofree char *path = g_build_filename(d->attachment_dir, name, NULL);
            g_unlink(path);
        }
        if (dir)
            g_dir_close(dir);
        g_rmdir(d->attachment_dir);
        g_free(d->attachment_dir);
    }
    if (d->forward_more)
        g_ptr_array_unref(d->forward_more);
    g_free(d);
}

/* The messages forwarded as attachments: forward_message, then
 * forward_more. */
static guint
n_forward(const MimeDraft *d)
{
    if (!d->forward_message)
        return 0;
    return 1 + (d->forward_more ? d->forward_more->len : 0);
}

static GBytes *
forwarded(const MimeDraft *d, guint k)
{
    return k == 0 ? d->forward_message : d->forward_more->pdata[k - 1];
}

/* Header text on one line: CR, LF and other controls become spaces. */
static char *
one_line(const char *s)
{
    char *r = g_strdup(s ? s : "");
    for (char *p = r; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return g_strstrip(r);
}

/* An address we can put on the wire: ASCII (no SMTPUTF8), local@domain. */
static gboolean
address_ok(const char *addr)
{
    if (!addr || !*addr)
        return FALSE;
    const char *at = strrchr(addr, '@');
    if (!at || at == addr || !at[1])
        return FALSE;
    for (const char *p = addr; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '<' || *p == '>')
            return FALSE;
    return TRUE;
}

static gboolean
check_list(InternetAddressList *list, const char *field, const char *text, GError **error)
{
    int n = internet_address_list_length(list);
    for (int i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            if (!check_list(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
                            field, text, error))
                return FALSE;
            continue;
        }
        /* What goes on the wire: GMime writes an IDN domain in ASCII. */
        const char *addr = internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(ia));
        if (!address_ok(addr)) {
            g_autofree char *safe = term_safe(addr ? addr : text, -1, 0);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                        _("%s: '%s' is not a usable mail address"), field, safe);
            return FALSE;
        }
        internet_address_set_charset(ia, "utf-8");
    }
    return TRUE;
}

static gboolean
add_addresses(GMimeMessage *msg, GMimeAddressType type, const char *field,
              const char *text, GError **error)
{
    g_autofree char *line = one_line(text);
    if (!*line)
        return TRUE;
    InternetAddressList *list = internet_address_list_parse(mime_parser_options(), line);
    if (!list || internet_address_list_length(list) == 0) {
        g_autofree char *safe = term_safe(line, -1, 0);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("%s: cannot read the address list '%s'"), field, safe);
        if (list)
            g_object_unref(list);
        return FALSE;
    }
    gboolean ok = check_list(list, field, line, error);
    if (ok)
        internet_address_list_append(g_mime_message_get_addresses(msg, type), list);
    g_object_unref(list);
    return ok;
}

static GMimeObject *
text_part(const char *text)
{
    GMimeTextPart *tp = g_mime_text_part_new_with_subtype("plain");
    gboolean ascii = TRUE;
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p >= 0x80)
            ascii = FALSE;
    GMimeStream *mem = g_mime_stream_mem_new_with_buffer(text, strlen(text));
    GMimeDataWrapper *dw = g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(GMIME_PART(tp), dw);
    g_object_unref(dw);
    g_object_unref(mem);
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(tp), "charset", ascii ? "us-ascii" : "utf-8");
    return GMIME_OBJECT(tp);
}

/* The body as LF-terminated lines, valid UTF-8, ending in a newline. */
static char *
normalise_body(const char *body)
{
    g_autofree char *valid = g_utf8_make_valid(body ? body : "", -1);
    GString *s = g_string_new(NULL);
    for (const char *p = valid; *p; p++) {
        if (*p == '\r' && p[1] == '\n')
            continue;
        g_string_append_c(s, *p == '\r' ? '\n' : *p);
    }
    if (s->len > 0 && s->str[s->len - 1] != '\n')
        g_string_append_c(s, '\n');
    return g_string_free(s, FALSE);
}

static char *
guess_mime_type(const char *name, const guchar *data, gsize len)
{
    gboolean uncertain = FALSE;
    g_autofree char *ct = g_content_type_guess(name, data, len, &uncertain);
    char *mime = ct ? g_content_type_get_mime_type(ct) : NULL;
    if (!mime || !strchr(mime, '/')) {
        g_free(mime);
        mime = g_strdup("application/octet-stream");
    }
    return mime;
}

static GMimeObject *
file_part(const char *path, const char *data, gsize len)
{
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *name = g_utf8_make_valid(base, -1);
    g_autofree char *type = guess_mime_type(name, (const guchar *)data, len);
    char *slash = strchr(type, '/');
    *slash = '\0';
    GMimePart *part = g_mime_part_new_with_type(type, slash + 1);
    g_mime_object_set_disposition(GMIME_OBJECT(part), GMIME_DISPOSITION_ATTACHMENT);
    g_mime_part_set_filename(part, name);
    /* GMime would pick the smallest charset (often ISO-8859-1) for the
     * RFC 2231 name; UTF-8 is what every reader handles. */
    GMimeParamList *dp = g_mime_content_disposition_get_parameters(
        g_mime_object_get_content_disposition(GMIME_OBJECT(part)));
    GMimeParam *fp = dp ? g_mime_param_list_get_parameter(dp, "filename") : NULL;
    if (fp)
        g_mime_param_set_charset(fp, "UTF-8");
    GMimeParamList *tp = g_mime_content_type_get_parameters(
        g_mime_object_get_content_type(GMIME_OBJECT(part)));
    GMimeParam *np = tp ? g_mime_param_list_get_parameter(tp, "name") : NULL;
    if (np)
        g_mime_param_set_charset(np, "UTF-8");
    GMimeStream *mem = g_mime_stream_mem_new_with_buffer(data, len);
    GMimeDataWrapper *dw = g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(part, dw);
    g_object_unref(dw);
    g_object_unref(mem);
    /* Binary types always travel as base64; text may go as it is or QP
     * (chosen by g_mime_object_encode). */
    if (strcmp(type, "text") != 0)
        g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
    return GMIME_OBJECT(part);
}

/* The name on a "begin 644 NAME" line: one line, no path, ASCII (the
 * readers behind uuencode-only gateways know no charsets, and an ASCII
 * body can stay 7bit, so the blocks arrive exactly as written). */
static char *
uu_name(const char *path)
{
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *valid = g_utf8_make_valid(base, -1);
    g_autofree char *ascii = g_str_to_ascii(valid, "C");
    char *line = one_line(ascii);
    for (char *p = line; *p; p++)
        if (*p == '?' || *p == '/' || *p == '\\')
            *p = '_';
    if (!*line) {
        g_free(line);
        line = g_strdup("attachment");
    }
    return line;
}

/* Raw 8-bit header values (common in old mail) as RFC 2047 words. */
static void
encode_headers_7bit(GMimeObject *obj)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(obj);
    int n = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
        const char *raw = g_mime_header_get_raw_value(h);
        gboolean ascii = TRUE;
        for (const char *p = raw; p && *p; p++)
            if ((unsigned char)*p >= 0x80)
                ascii = FALSE;
        if (ascii)
            continue;
        const char *value = g_mime_header_get_value(h);
        g_autofree char *valid = g_utf8_make_valid(value ? value : "", -1);
        g_mime_header_set_value(h, NULL, valid, "utf-8");
    }
}

static void
encode_7bit(GMimeObject *parent, GMimeObject *part, gpointer unused)
{
    encode_headers_7bit(part);
    if (GMIME_IS_PART(part))
        g_mime_object_encode(part, GMIME_ENCODING_CONSTRAINT_7BIT);
    if (GMIME_IS_MESSAGE_PART(part)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
        if (inner) {
            encode_headers_7bit(GMIME_OBJECT(inner));
            g_mime_message_foreach(inner, encode_7bit, NULL);
        }
    }
}

/* Everything but the From line, which mime_build checked and set. */
static gboolean
fill_message(GMimeMessage *msg, const MimeDraft *d, GPtrArray *files, GError **error)
{
    if (!add_addresses(msg, GMIME_ADDRESS_TYPE_TO, "To", d->to, error) ||
        !add_addresses(msg, GMIME_ADDRESS_TYPE_CC, "Cc", d->cc, error) ||
        !add_addresses(msg, GMIME_ADDRESS_TYPE_BCC, "Bcc", d->bcc, error))
        return FALSE;
    g_autofree char *subject = one_line(d->subject);
    g_mime_message_set_subject(msg, subject, "utf-8");
    GDateTime *now = g_date_time_new_now_local();
    g_mime_message_set_date(msg, now);
    g_date_time_unref(now);
    const char *domain = strrchr(d->from_address, '@') + 1;
    char *id = g_mime_utils_generate_message_id(domain);
    g_mime_message_set_message_id(msg, id);
    g_free(id);
    if (d->in_reply_to && *d->in_reply_to) {
        g_autofree char *v = one_line(d->in_reply_to);
        g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", v, NULL);
    }
    if (d->references && *d->references) {
        g_autofree char *v = one_line(d->references);
        g_mime_object_set_header(GMIME_OBJECT(msg), "References", v, NULL);
    }
    g_mime_object_set_header(GMIME_OBJECT(msg), "User-Agent", PACKAGE_NAME "/" PACKAGE_VERSION, NULL);

    g_autofree char *body = normalise_body(d->body);
    GMimeObject *top;
    if (d->attachment_encoding == ATTACH_ENCODING_UUENCODE) {
        /* Old gateways: one text part, the files as uuencode blocks after
         * the text. */
        GString *all = g_string_new(body);
        for (guint i = 0; i < files->len; i++) {
            g_autofree char *name = uu_name(d->attachments->pdata[i]);
            gsize len = 0;
            const guint8 *data = g_bytes_get_data(files->pdata[i], &len);
            g_string_append_c(all, '\n');
            mime_uu_encode_block(all, name, data, len);
        }
        for (guint k = 0; k < n_forward(d); k++) {
            gsize len = 0;
            const guint8 *data = g_bytes_get_data(forwarded(d, k), &len);
            g_autofree char *name = k ? g_strdup_printf("forwarded-%u.eml", k + 1)
                                      : g_strdup("forwarded.eml");
            g_string_append_c(all, '\n');
            mime_uu_encode_block(all, name, data, len);
        }
        top = text_part(all->str);
        g_string_free(all, TRUE);
    } else if (files->len == 0 && !d->forward_message) {
        top = text_part(body);
    } else {
        GMimeMultipart *mp = g_mime_multipart_new_with_subtype("mixed");
        GMimeObject *tp = text_part(body);
        g_mime_multipart_add(mp, tp);
        g_object_unref(tp);
        for (guint i = 0; i < files->len; i++) {
            gsize len = 0;
            const char *data = g_bytes_get_data(files->pdata[i], &len);
            GMimeObject *fp = file_part(d->attachments->pdata[i], data, len);
            g_mime_multipart_add(mp, fp);
            g_object_unref(fp);
        }
        for (guint k = 0; k < n_forward(d); k++) {
            GMimeMessage *inner = mime_parse(forwarded(d, k), error);
            if (!inner) {
                g_object_unref(mp);
                return FALSE;
            }
            /* The forwarded message must be 7-bit too; encoding the outer
             * message does not reach inside it. */
            encode_headers_7bit(GMIME_OBJECT(inner));
            g_mime_message_foreach(inner, encode_7bit, NULL);
            GMimeMessagePart *mpart = g_mime_message_part_new_with_message("rfc822", inner);
            g_object_unref(inner);
            g_mime_object_set_disposition(GMIME_OBJECT(mpart), GMIME_DISPOSITION_INLINE);
            g_mime_multipart_add(mp, GMIME_OBJECT(mpart));
            g_object_unref(mpart);
        }
        top = GMIME_OBJECT(mp);
    }
    g_mime_message_set_mime_part(msg, top);
    g_object_unref(top);
    /* 7-bit everywhere (no 8BITMIME needed): QP for mostly-ASCII text,
     * base64 for the rest, chosen per part. */
    g_mime_object_encode(GMIME_OBJECT(msg), GMIME_ENCODING_CONSTRAINT_7BIT);
    return TRUE;
}

GBytes *
mime_build(const MimeDraft *d, GError **error)
{
    mime_init();
    if (!address_ok(d->from_address)) {
        g_autofree char *safe = term_safe(d->from_address ? d->from_address : "", -1, 0);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("From: '%s' is not a usable mail address"), safe);
        return NULL;
    }

    /* Read every attachment first: a missing file stops the build. */
    GPtrArray *files = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    for (guint i = 0; d->attachments && i < d->attachments->len; i++) {
        char *data = NULL;
        gsize len = 0;
        GError *e = NULL;
        if (!g_file_get_contents(d->attachments->pdata[i], &data, &len, &e)) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO, _("attachment: %s"), e->message);
            g_error_free(e);
            g_ptr_array_unref(files);
            return NULL;
        }
        g_ptr_array_add(files, g_bytes_new_take(data, len));
    }

    GMimeMessage *msg = g_mime_message_new(TRUE);
    g_autofree char *from_name = one_line(d->from_name);
    InternetAddress *from = internet_address_mailbox_new(*from_name ? from_name : NULL,
                                                         d->from_address);
    internet_address_set_charset(from, "utf-8");
    internet_address_list_add(g_mime_message_get_from(msg), from);
    g_object_unref(from);

    GBytes *result = NULL;
    if (fill_message(msg, d, files, error)) {
        GMimeFormatOptions *fo = g_mime_format_options_new();
        g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_UNIX);
        char *text = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
        g_mime_format_options_free(fo);
        result = g_bytes_new_take(text, strlen(text));
    }
    g_ptr_array_unref(files);
    g_object_unref(msg);
    return result;
}
