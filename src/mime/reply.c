/* Replies and forwards: who gets it, the subject, the quoted text and the
 * threading headers.  The result is a draft for the user to edit. */
#include <config.h>

#include <string.h>

#include "mime/private.h"

char *
mime_subject_strip_prefixes(const char *subject)
{
    static GRegex *re;
    if (g_once_init_enter(&re)) {
        GRegex *r = g_regex_new("^\\s*((re|aw|fwd?|wg|sv|antw)\\s*(\\[\\d+\\]|\\(\\d+\\))?\\s*:\\s*)+",
                                G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
        g_once_init_leave(&re, r);
    }
    g_autofree char *valid = g_utf8_make_valid(subject ? subject : "", -1);
    char *s = g_regex_replace_literal(re, valid, -1, 0, "", 0, NULL);
    return g_strstrip(s ? s : g_strdup(valid));
}

/* ---- recipients -------------------------------------------------------- */

typedef struct {
    GHashTable *seen;            /* lower-case addresses already taken or own */
    InternetAddressList *out;
} Recipients;

static void
add_list(Recipients *r, InternetAddressList *list)
{
    int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            add_list(r, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
            continue;
        }
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
        if (!addr || !*addr)
            continue;
        char *key = g_ascii_strdown(addr, -1);
        if (g_hash_table_contains(r->seen, key)) {
            g_free(key);
            continue;
        }
        g_hash_table_add(r->seen, key);
        internet_address_list_add(r->out, ia);
    }
}

static char *
list_string(InternetAddressList *list)
{
    if (internet_address_list_length(list) == 0)
        return NULL;
    return internet_address_list_to_string(list, NULL, FALSE);
}

static gboolean
is_own(GHashTable *own, InternetAddressList *list)
{
    int n = list ? internet_address_list_length(list) : 0;
    if (n == 0)
        return FALSE;
    for (int i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            return FALSE;
        g_autofree char *key = g_ascii_strdown(
            internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), -1);
        if (!g_hash_table_contains(own, key))
            return FALSE;
    }
    return TRUE;
}

static InternetAddressList *
header_list(GMimeMessage *msg, const char *name)
{
    const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);
    return v ? internet_address_list_parse(mime_parser_options(), v) : NULL;
}

/* The own address the original was sent to, if any. */
static char *
own_recipient(GMimeMessage *msg, const char *const *own)
{
    InternetAddressList *all = g_mime_message_get_all_recipients(msg);
    if (!all)
        return NULL;   /* no recipients at all */
    char *found = NULL;
    for (const char *const *o = own; o && *o && !found; o++) {
        int n = internet_address_list_length(all);
        for (int i = 0; i < n && !found; i++) {
            InternetAddress *ia = internet_address_list_get_address(all, i);
            if (INTERNET_ADDRESS_IS_MAILBOX(ia) &&
                g_ascii_strcasecmp(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), *o) == 0)
                found = g_strdup(*o);
        }
    }
    g_object_unref(all);
    return found;
}

static void
set_recipients(MimeDraft *d, GMimeMessage *msg, MimeReplyKind kind, const char *const *own)
{
    GHashTable *own_set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (const char *const *o = own; o && *o; o++)
        g_hash_table_add(own_set, g_ascii_strdown(*o, -1));

    InternetAddressList *reply_to = g_mime_message_get_reply_to(msg);
    InternetAddressList *from = g_mime_message_get_from(msg);
    InternetAddressList *primary = internet_address_list_length(reply_to) > 0 ? reply_to : from;
    /* A reply to one's own message goes to its recipients again. */
    gboolean mine = is_own(own_set, from) && primary == from;
    InternetAddressList *mft = kind == MIME_REPLY_ALL ? header_list(msg, "Mail-Followup-To") : NULL;

    Recipients to = { g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                      internet_address_list_new() };
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, own_set);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_hash_table_add(to.seen, g_strdup(key));

    Recipients cc = { to.seen, internet_address_list_new() };
    if (mft && internet_address_list_length(mft) > 0) {
        add_list(&to, mft);
    } else if (kind == MIME_REPLY) {
        add_list(&to, mine ? g_mime_message_get_to(msg) : primary);
    } else {
        if (!mine)
            add_list(&to, primary);
        add_list(&to, g_mime_message_get_to(msg));
        add_list(&cc, g_mime_message_get_cc(msg));
    }
    /* Replying only to oneself is better than to no one. */
    if (internet_address_list_length(to.out) == 0 && internet_address_list_length(cc.out) == 0)
        internet_address_list_append(to.out, primary);

    d->to = list_string(to.out);
    d->cc = list_string(cc.out);
    g_object_unref(to.out);
    g_object_unref(cc.out);
    g_hash_table_unref(to.seen);
    g_hash_table_unref(own_set);
    if (mft)
        g_object_unref(mft);
}

/* ---- text -------------------------------------------------------------- */

static char *
sender_name(GMimeMessage *msg)
{
    InternetAddressList *from = g_mime_message_get_from(msg);
    if (internet_address_list_length(from) > 0) {
        InternetAddress *ia = internet_address_list_get_address(from, 0);
        const char *name = internet_address_get_name(ia);
        if (name && *name)
            return g_strdup(name);
        if (INTERNET_ADDRESS_IS_MAILBOX(ia))
            return g_strdup(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
    }
    return g_strdup(_("someone"));
}

static char *
date_string(GMimeMessage *msg)
{
    GDateTime *dt = g_mime_message_get_date(msg);
    if (dt)
        return g_date_time_format(dt, "%a, %d %b %Y %H:%M %z");
    char *raw = mime_header_decoded(GMIME_OBJECT(msg), "Date");
    return raw ? raw : g_strdup(_("an unknown date"));
}

static void
quote_into(GString *out, const char *text)
{
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (!l[1] && !**l)
            break;   /* after the last newline */
        g_string_append(out, **l ? "> " : ">");
        g_string_append(out, *l);
        g_string_append_c(out, '\n');
    }
    g_strfreev(lines);
}

static void
forward_header(GString *out, GMimeMessage *msg, const char *name)
{
    g_autofree char *v = NULL;
    if (strcmp(name, "Subject") == 0) {
        const char *s = g_mime_message_get_subject(msg);
        v = s ? g_strdup(s) : NULL;
    } else {
        GMimeAddressType t = strcmp(name, "From") == 0 ? GMIME_ADDRESS_TYPE_FROM
                             : strcmp(name, "To") == 0 ? GMIME_ADDRESS_TYPE_TO
                                                       : GMIME_ADDRESS_TYPE_CC;
        if (strcmp(name, "Date") == 0) {
            v = mime_header_decoded(GMIME_OBJECT(msg), "Date");
        } else {
            InternetAddressList *l = g_mime_message_get_addresses(msg, t);
            v = internet_address_list_length(l) > 0 ? internet_address_list_to_string(l, NULL, FALSE)
                                                    : NULL;
        }
    }
    if (v)
        g_string_append_printf(out, "%s: %s\n", name, v);
}

static char *
references(GMimeMessage *msg, const char *id)
{
    g_autofree char *refs = mime_header_decoded(GMIME_OBJECT(msg), "References");
    if (!refs)
        refs = mime_header_decoded(GMIME_OBJECT(msg), "In-Reply-To");
    GString *s = g_string_new(NULL);
    if (refs) {
        /* Keep the first and the last few: threads stay joined and the
         * header stays short. */
        GMimeReferences *list = g_mime_references_parse(mime_parser_options(), refs);
        int n = list ? g_mime_references_length(list) : 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && i < n - 10)
                continue;
            g_string_append_printf(s, "%s<%s>", s->len ? " " : "", g_mime_references_get_message_id(list, i));
        }
        if (list)
            g_mime_references_free(list);
    }
    if (id)
        g_string_append_printf(s, "%s<%s>", s->len ? " " : "", id);
    if (s->len == 0) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}

/* The text of an inline forward names the original's attachments; the
 * draft carries them too, as files in a private directory. */
static gboolean
forward_attachments(const MimeView *view, MimeDraft *d, GError **error)
{
    if (view->attachments->len == 0)
        return TRUE;
    d->attachment_dir = g_dir_make_tmp("postie-forward-XXXXXX", error);
    if (!d->attachment_dir)
        return FALSE;
    for (guint i = 0; i < view->attachments->len; i++) {
        char *path = mime_attachment_save(view->attachments->pdata[i], d->attachment_dir, error);
        if (!path)
            return FALSE;
        g_ptr_array_add(d->attachments, path);
    }
    return TRUE;
}

MimeDraft *
mime_reply_draft(GBytes *raw, MimeReplyKind kind, const char *const *own_addresses,
                 const MimeViewOptions *opts, GError **error)
{
    GMimeMessage *msg = mime_parse(raw, error);
    if (!msg)
        return NULL;
    MimeView *view = mime_view_new(raw, opts, error);
    if (!view) {
        g_object_unref(msg);
        return NULL;
    }

    MimeDraft *d = mime_draft_new();
    d->from_address = own_recipient(msg, own_addresses);
    if (!d->from_address && own_addresses && own_addresses[0])
        d->from_address = g_strdup(own_addresses[0]);

    /* An encrypted original's real Subject is the one inside. */
    g_autofree char *bare = mime_subject_strip_prefixes(
        view->protected_subject ? view->protected_subject : g_mime_message_get_subject(msg));
    gboolean reply = kind == MIME_REPLY || kind == MIME_REPLY_ALL;
    d->subject = g_strconcat(reply ? "Re: " : "Fwd: ", bare, NULL);

    const char *id = g_mime_message_get_message_id(msg);
    GString *body = g_string_new(NULL);
    if (reply) {
        set_recipients(d, msg, kind, own_addresses);
        if (id && *id)
            d->in_reply_to = g_strdup_printf("<%s>", id);
        d->references = references(msg, id && *id ? id : NULL);
        g_autofree char *date = date_string(msg);
        g_autofree char *name = sender_name(msg);
        g_string_append_printf(body, _("On %s, %s wrote:\n"), date, name);
        quote_into(body, view->body_text);
    } else if (kind == MIME_FORWARD_INLINE) {
        g_string_append(body, _("\n-------- Forwarded message --------\n"));
        forward_header(body, msg, "From");
        forward_header(body, msg, "Date");
        forward_header(body, msg, "Subject");
        forward_header(body, msg, "To");
        forward_header(body, msg, "Cc");
        g_string_append_c(body, '\n');
        g_string_append(body, view->body_text);
        if (body->len && body->str[body->len - 1] != '\n')
            g_string_append_c(body, '\n');
        if (!forward_attachments(view, d, error)) {
            g_string_free(body, TRUE);
            mime_view_free(view);
            g_object_unref(msg);
            mime_draft_free(d);
            return NULL;
        }
    } else {
        d->forward_message = g_bytes_ref(raw);
    }
    d->body = g_string_free(body, FALSE);
    mime_view_free(view);
    g_object_unref(msg);
    return d;
}
