/* Getting a message ready: at queue time the fields every message needs
 * and the envelope from the command line; at send time the recipients
 * and, for servers without 8BITMIME, a 7-bit variant. */
#include <config.h>

#include <string.h>

#include "mime/header.h"
#include "send/private.h"
#include "util/util.h"

/* An address we can put into MAIL FROM / RCPT TO: ASCII (libesmtp has no
 * SMTPUTF8), one '@', nothing that could end or split an SMTP command. */
static gboolean
address_ok(const char *a)
{
    if (!a || !*a || strlen(a) > 254)
        return FALSE;
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strchr(at + 1, '@'))
        return FALSE;
    for (const char *p = a; *p; p++) {
        guchar c = (guchar)*p;
        if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '(' ||
            c == ')' || c == ',' || c == ';' || c == '\\' || c == '"')
            return FALSE;
    }
    return TRUE;
}

/* ADDR with an IDN domain in its ASCII form (the account's own address
 * or -f may have one), or NULL when that is no usable SMTP address
 * either or ADDR already is one. */
static char *
wire_address(const char *addr)
{
    if (!addr || address_ok(addr))
        return NULL;
    g_autoptr(GPtrArray) one = mime_address_list_parse(addr);
    if (!one || one->len != 1)
        return NULL;
    const char *wire = ((const MimeMailbox *)one->pdata[0])->wire;
    return address_ok(wire) ? g_strdup(wire) : NULL;
}

static void
collect_list(GPtrArray *list, GPtrArray *out, GPtrArray *bad)
{
    for (guint i = 0; i < list->len; i++) {
        /* An IDN domain goes on the wire in ASCII: no SMTPUTF8 needed. */
        const char *addr = ((const MimeMailbox *)list->pdata[i])->wire;
        if (!addr || !*addr)
            continue;
        if (!address_ok(addr)) {
            if (bad)
                g_ptr_array_add(bad, g_strdup(addr));
            continue;
        }
        gboolean dup = FALSE;
        for (guint k = 0; k < out->len && !dup; k++)
            dup = g_ascii_strcasecmp(out->pdata[k], addr) == 0;
        if (!dup)
            g_ptr_array_add(out, g_strdup(addr));
    }
}

static void
collect_checked(const char *value, GPtrArray *out, GPtrArray *bad)
{
    if (!value || !*value)
        return;
    g_autoptr(GPtrArray) list = mime_address_list_parse(value);
    if (!list) {
        if (bad)
            g_ptr_array_add(bad, g_strdup(value));
        return;
    }
    collect_list(list, out, bad);
}

void
send_collect_addresses(const char *value, GPtrArray *out)
{
    collect_checked(value, out, NULL);
}

/* Collect from every occurrence of the fields in NAMES (fields repeat:
 * two To: lines are legal enough in the wild). */
static void
collect_fields(const char *data, gsize len, const char *const *names,
               GPtrArray *out, GPtrArray *bad)
{
    for (int n = 0; names[n]; n++) {
        g_autoptr(GPtrArray) values = send_header_get_all(data, len, names[n]);
        for (guint i = 0; i < values->len; i++)
            collect_checked(values->pdata[i], out, bad);
    }
}

static char *
join_bad(GPtrArray *bad)
{
    g_ptr_array_add(bad, NULL);
    g_autofree char *j = g_strjoinv(", ", (char **)bad->pdata);
    g_ptr_array_remove_index(bad, bad->len - 1);
    return term_safe(j, -1, TERM_SAFE_DEFAULT);
}

gboolean
send_envelope_of(const Account *account, const char *data, gsize len,
                 char **from, GPtrArray **rcpts, GError **error)
{
    static const char *const rcpt_fields[] = { "To", "Cc", "Bcc", NULL };
    g_autofree char *env_from = send_header_get(data, len, HDR_ENVELOPE_FROM);
    g_autofree char *env_to = send_header_get(data, len, HDR_ENVELOPE_TO);
    g_autofree char *delivered = send_header_get(data, len, HDR_DELIVERED_TO);
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func(g_free);

    const char *rp = env_from && *env_from ? env_from : account->address;
    g_autofree char *rp_wire = wire_address(rp);
    if (rp_wire)
        rp = rp_wire;
    if (!address_ok(rp)) {
        g_autofree char *shown = term_safe(rp, -1, TERM_SAFE_DEFAULT);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("the sender address \"%s\" cannot be used in SMTP"), shown);
        return FALSE;
    }
    if (env_to)
        collect_checked(env_to, list, bad);
    else
        collect_fields(data, len, rcpt_fields, list, bad);
    if (bad->len > 0) {
        g_autofree char *b = join_bad(bad);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("cannot send to %s: not a plain ASCII address "
                      "(SMTPUTF8 is not supported)"), b);
        return FALSE;
    }
    if (delivered) {
        g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func(g_free);
        send_collect_addresses(delivered, done);
        for (guint i = 0; i < done->len; i++)
            for (guint k = 0; k < list->len; k++)
                if (!g_ascii_strcasecmp(list->pdata[k], done->pdata[i])) {
                    g_ptr_array_remove_index(list, k);
                    break;
                }
    }
    if (list->len == 0) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("the message has no recipients (no To, Cc or Bcc)"));
        return FALSE;
    }
    *from = g_strdup(rp);
    *rcpts = g_steal_pointer(&list);
    return TRUE;
}

char *
send_make_message_id(const char *address)
{
    const char *at = address ? strrchr(address, '@') : NULL;
    const char *domain = at && at[1] ? at + 1 : "localhost";
    g_autofree char *id = mime_message_id_new(domain);
    return g_strdup_printf("<%s>", id);
}

GString *
send_encode_7bit(const char *data, gsize len)
{
    return mime_encode_7bit(data, len);
}

GString *
send_encode_headers(const char *data, gsize len)
{
    gsize hlen = send_header_block_len(data, len);
    if (!send_has_8bit(data, hlen))
        return g_string_new_len(data, (gssize)len);
    return mime_encode_8bit_headers(data, len);
}

/* ---- queue time ------------------------------------------------------- */

static gboolean
looks_like_message(const char *data, gsize len)
{
    /* The first line must be a header field: a name, then a colon. */
    gsize i = 0;
    while (i < len && data[i] > ' ' && data[i] < 0x7f && data[i] != ':')
        i++;
    return i > 0 && i < len && data[i] == ':';
}

static char *
first_from_address(const char *data, gsize len)
{
    g_autofree char *v = send_header_get(data, len, "From");
    g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func(g_free);
    send_collect_addresses(v, a);
    return a->len ? g_strdup(a->pdata[0]) : NULL;
}

/* Does the field hold anything but white space? */
static gboolean
field_nonempty(const char *data, gsize len, const char *name)
{
    g_autofree char *v = send_header_get(data, len, name);
    return v && *v;
}

Account *
send_pick_account(PostieConfig *cfg, const char *data, gsize len,
                  const char *wanted, GError **error)
{
    g_autofree char *from = first_from_address(data, len);
    Account *a = from ? conf_account_for_address(cfg, from) : NULL;
    if (a && !a->smtp.host)
        a = NULL;   /* a fetch-only identity: fall back to the others */
    if (!a && wanted) {
        a = conf_find_account(cfg, wanted);
        if (!a) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                        _("no account named \"%s\" in %s"), wanted, cfg->path);
            return NULL;
        }
    }
    if (!a)
        a = conf_default_account(cfg);
    if (!a) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("no account to send with: add an [account NAME] with "
                      "smtp_host to %s"), cfg->path ? cfg->path : "the configuration");
        return NULL;
    }
    if (!a->smtp.host) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s has no smtp_host, so it cannot send"), a->id);
        return NULL;
    }
    return a;
}

GString *
send_prepare_queued(PostieConfig *cfg, const char *data, gsize len,
                    const SendQueueOptions *o, Account **account_out,
                    GError **error)
{
    g_autoptr(GString) in = g_string_new_len(data, (gssize)len);
    send_lf_normalize(in);
    /* A leading mbox "From " line (sendmail accepts one) is not a field. */
    if (g_str_has_prefix(in->str, "From ")) {
        const char *nl = strchr(in->str, '\n');
        g_string_erase(in, 0, nl ? nl - in->str + 1 : (gssize)in->len);
    }
    if (!looks_like_message(in->str, in->len)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("the input is not a mail message: it must start with "
                      "header fields such as \"From:\" or \"To:\""));
        return NULL;
    }
    if (in->str[in->len - 1] != '\n')
        g_string_append_c(in, '\n');
    /* Nobody outside may set our own fields (they steer the envelope). */
    g_autoptr(GString) msg = send_header_remove(in->str, in->len, NULL, TRUE);

    Account *a = send_pick_account(cfg, msg->str, msg->len, o ? o->account : NULL, error);
    if (!a)
        return NULL;

    /* Fields every message needs, added at the end of the header block so
     * that what the user wrote keeps its bytes and order. */
    GString *add = g_string_new(NULL);
    if (!field_nonempty(msg->str, msg->len, "From")) {
        if (a->real_name) {
            g_autofree char *s = mime_mailbox_format(a->real_name, a->address);
            g_string_append_printf(add, "From: %s\n", s);
        } else {
            g_string_append_printf(add, "From: %s\n", a->address);
        }
    }
    if (!field_nonempty(msg->str, msg->len, "Date")) {
        g_autoptr(GDateTime) now = g_date_time_new_now_local();
        g_autofree char *d = mime_date_format(now);
        g_string_append_printf(add, "Date: %s\n", d);
    }
    if (!field_nonempty(msg->str, msg->len, "Message-ID")) {
        g_autofree char *from = first_from_address(msg->str, msg->len);
        g_autofree char *id = send_make_message_id(from ? from : a->address);
        g_string_append_printf(add, "Message-ID: %s\n", id);
    }
    if (!field_nonempty(msg->str, msg->len, "MIME-Version"))
        g_string_append(add, "MIME-Version: 1.0\n");

    /* The envelope from the command line, kept for later deliveries. */
    GString *own = g_string_new(NULL);
    g_string_append_printf(own, HDR_ACCOUNT ": %s\n", a->id);
    if (o && o->envelope_from && *o->envelope_from) {
        g_autofree char *wire = wire_address(o->envelope_from);
        const char *ef = wire ? wire : o->envelope_from;
        if (!address_ok(ef)) {
            g_autofree char *shown = term_safe(o->envelope_from, -1, TERM_SAFE_DEFAULT);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                        _("the sender address \"%s\" cannot be used in SMTP"), shown);
            g_string_free(add, TRUE);
            g_string_free(own, TRUE);
            return NULL;
        }
        g_string_append_printf(own, HDR_ENVELOPE_FROM ": %s\n", ef);
    }
    g_autoptr(GPtrArray) rcpts = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func(g_free);
    gboolean explicit = o && o->recipients && o->recipients[0];
    if (explicit) {
        for (int i = 0; o->recipients[i]; i++)
            collect_checked(o->recipients[i], rcpts, bad);
        if (o->extract_recipients) {
            static const char *const f[] = { "To", "Cc", "Bcc", NULL };
            collect_fields(msg->str, msg->len, f, rcpts, bad);
        }
    }
    if (bad->len > 0) {
        g_autofree char *b = join_bad(bad);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("cannot send to %s: not a plain ASCII address "
                      "(SMTPUTF8 is not supported)"), b);
        g_string_free(add, TRUE);
        g_string_free(own, TRUE);
        return NULL;
    }
    if (explicit && rcpts->len > 0) {
        g_string_append(own, HDR_ENVELOPE_TO ": ");
        for (guint i = 0; i < rcpts->len; i++)
            g_string_append_printf(own, "%s%s", i ? ",\n " : "",
                                   (char *)rcpts->pdata[i]);
        g_string_append_c(own, '\n');
    }

    gsize hlen = send_header_block_len(msg->str, msg->len);
    /* Insert before the empty line, or at the end of a message that is
     * all header (no empty line). */
    gboolean has_blank = hlen < msg->len ||
        (hlen >= 2 && msg->str[hlen - 1] == '\n' && msg->str[hlen - 2] == '\n') ||
        (hlen == 1 && msg->str[0] == '\n');
    gsize at = has_blank ? hlen - 1 : msg->len;
    g_string_insert_len(msg, (gssize)at, add->str, (gssize)add->len);
    g_string_prepend(msg, own->str);
    g_string_free(add, TRUE);
    g_string_free(own, TRUE);

    /* Check now that it can be sent at all, so the user hears at once. */
    g_autofree char *from = NULL;
    g_autoptr(GPtrArray) check = NULL;
    if (!send_envelope_of(a, msg->str, msg->len, &from, &check, error))
        return NULL;
    if (account_out)
        *account_out = a;
    return g_steal_pointer(&msg);
}
