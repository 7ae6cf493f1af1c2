/* Compose: a header form (identity, To, Cc, Bcc, Subject) with address
 * completion from the address book, the body in the user's editor,
 * attachments added and removed, then send now, queue in the Outbox,
 * save as a draft, or cancel.  Replies and forwards start from mime/'s
 * builders; drafts in the Drafts folder can be resumed. */
#include <config.h>

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "abook/abook.h"
#include "send/send.h"
#include "ui/compose_crypto.h"
#include "ui/private.h"

typedef struct {
    Ui *ui;
    MimeDraft *d;
    Account *account;
    Abook *abook;
    gboolean changed;
    int sel;                 /* selected attachment */
    /* What to update once the message is safely queued or saved. */
    gboolean from_draft;     /* resumed: remove the old draft */
    gboolean is_reply;       /* mark the original replied */
    char *orig_folder;
    guint64 orig_offset;
    char *orig_msgid;
    char *tmp_dir;           /* a resumed draft's attachments (0700) */
    ComposeCrypt crypt;      /* sign / encrypt (compose_crypto.c) */
} Compose;

static void
set_identity(Compose *c, Account *a)
{
    c->account = a;
    compose_crypt_defaults(&c->crypt, a);
    if (!a)
        return;
    g_free(c->d->from_name);
    g_free(c->d->from_address);
    c->d->from_name = g_strdup(a->real_name);
    c->d->from_address = g_strdup(a->address);
    c->d->attachment_encoding = a->attachment_encoding;
}

/* Completion of the last address in a comma-separated list. */
static GPtrArray *
complete_address(const char *text, gpointer data)
{
    Compose *c = data;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    if (!c->abook)
        return out;
    const char *comma = strrchr(text, ',');
    const char *word = comma ? comma + 1 : text;
    while (*word == ' ')
        word++;
    if (!*word)
        return out;
    g_autofree char *head = g_strndup(text, (gsize)(word - text));
    GPtrArray *found = abook_complete(c->abook, word, 20);
    for (guint i = 0; found && i < found->len; i++)
        g_ptr_array_add(out, g_strconcat(head, (char *)found->pdata[i], NULL));
    if (found)
        g_ptr_array_unref(found);
    return out;
}

/* FALSE when the user cancelled the prompt (Esc, ^G): nothing changes. */
static gboolean
edit_field(Compose *c, const char *label, char **field, gboolean addresses)
{
    g_autofree char *q = g_strdup_printf("%s: ", label);
    char *v = prompt_line(c->ui, q, *field ? *field : "", addresses ? complete_address : NULL, c);
    if (!v)
        return FALSE;
    g_strstrip(v);
    if (g_strcmp0(v, *field ? *field : "") != 0)
        c->changed = TRUE;
    g_free(*field);
    *field = *v ? v : (g_free(v), NULL);
    return TRUE;
}

static void
edit_body(Compose *c)
{
    g_autoptr(GError) error = NULL;
    char *text = g_strdup(c->d->body ? c->d->body : "");
    if (!editor_edit(c->ui, &text, &error)) {
        ui_error(c->ui, "%s", error->message);
        g_free(text);
        return;
    }
    if (g_strcmp0(text, c->d->body) != 0)
        c->changed = TRUE;
    g_free(c->d->body);
    c->d->body = text;
}

static void
add_attachment(Compose *c)
{
    g_autofree char *path = prompt_line(c->ui, _("Attach file (Tab completes): "), NULL,
                                        complete_path, NULL);
    if (!path || !*g_strstrip(path))
        return;
    g_autofree char *full = paths_expand_home(path);
    if (!g_file_test(full, G_FILE_TEST_IS_REGULAR)) {
        ui_error(c->ui, _("%s is not a file."), full);
        return;
    }
    g_ptr_array_add(c->d->attachments, g_steal_pointer(&full));
    c->sel = (int)c->d->attachments->len - 1;
    c->changed = TRUE;
}

/* "report.pdf  (application/pdf, 12.3 kB)  ~/work/report.pdf": what
 * will go, guessed as the sender's mail will label it. */
static char *
attachment_line(const char *path)
{
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *type = NULL, *size = NULL;
    GStatBuf st;
    if (g_stat(path, &st) == 0)
        size = g_format_size((guint64)st.st_size);
    g_autofree char *guess = g_content_type_guess(path, NULL, 0, NULL);
    type = guess ? g_content_type_get_mime_type(guess) : NULL;
    return g_strdup_printf("%s  (%s, %s)  %s", base, type ? type : "application/octet-stream",
                           size ? size : _("missing"), path);
}

/* The key line, most needed first; what does not fit in WIDTH goes on
 * a second line.  Returns the lines used. */
static int
draw_compose_keys(int width)
{
    static const char *const items[] = {
        N_("y:Send"), N_("q:Cancel"), N_("e:Body"), N_("t:To"), N_("s:Subject"),
        N_("a:Attach"), N_("w:Queue"), N_("P:Draft"), N_("c:Cc"), N_("b:Bcc"),
        N_("D:Detach"), N_("i:Identity"), N_("p:Security"),
    };
    GString *line[2] = { g_string_new(NULL), g_string_new(NULL) };
    int row = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(items); i++) {
        const char *t = _(items[i]);
        if (row == 0 && line[0]->len &&
            draw_width(line[0]->str) + 2 + draw_width(t) > width)
            row = 1;
        g_string_append_printf(line[row], "%s%s", line[row]->len ? "  " : "", t);
    }
    attrset(colors_attr(COL_HINT));
    for (int r = 0; r <= row; r++)
        draw_text(r, 0, line[r]->str, width, TRUE);
    attrset(A_NORMAL);
    g_string_free(line[0], TRUE);
    g_string_free(line[1], TRUE);
    return row + 1;
}

static void
draw_form(Compose *c)
{
    Ui *ui = c->ui;
    MimeDraft *d = c->d;
    erase();
    int y = draw_compose_keys(COLS);
    g_autofree char *from = d->from_name ? g_strdup_printf("%s <%s>  [%s]", d->from_name,
                                                           d->from_address ? d->from_address : "",
                                                           c->account ? c->account->id : "")
                                         : g_strdup_printf("%s  [%s]",
                                                           d->from_address ? d->from_address : "",
                                                           c->account ? c->account->id : "");
    g_autofree char *security = compose_crypt_describe(&c->crypt);
    const struct { const char *label; const char *value; } rows[] = {
        { N_("From"), from }, { N_("To"), d->to }, { N_("Cc"), d->cc },
        { N_("Bcc"), d->bcc }, { N_("Subject"), d->subject }, { N_("Security"), security },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(rows); i++, y++) {
        g_autofree char *label = g_strdup_printf("%8s: ", _(rows[i].label));
        attrset(colors_attr(COL_HEADER));
        int w = draw_text(y, 0, label, COLS, FALSE);
        attrset(A_NORMAL);
        draw_untrusted(y, w, rows[i].value ? rows[i].value : "", COLS - w, TRUE);
    }
    attrset(colors_attr(COL_DIVIDER));
    g_autofree char *ah = g_strdup_printf(g_dngettext(PACKAGE, "-- %u attachment --",
                                                      "-- %u attachments --",
                                                      d->attachments->len),
                                          d->attachments->len);
    draw_text(y++, 0, ah, COLS, TRUE);
    attrset(A_NORMAL);
    for (guint i = 0; i < d->attachments->len && y < LINES - 6; i++, y++) {
        attrset((int)i == c->sel ? colors_attr(COL_INDICATOR) : A_NORMAL);
        g_autofree char *line = attachment_line(d->attachments->pdata[i]);
        draw_untrusted(y, 2, line, COLS - 2, TRUE);
    }
    attrset(colors_attr(COL_DIVIDER));
    draw_text(y++, 0, _("-- Message --"), COLS, TRUE);
    attrset(A_NORMAL);
    g_autofree char *safe = term_safe(d->body ? d->body : "", -1, TERM_SAFE_KEEP_NEWLINES);
    g_auto(GStrv) lines = g_strsplit(safe, "\n", -1);
    for (int i = 0; lines[i] && y < LINES - 2; i++, y++)
        draw_text(y, 0, lines[i], COLS, TRUE);
    attrset(colors_attr(COL_STATUS));
    g_autofree char *st = g_strdup_printf(_("-- compose%s%s --"),
                                          c->changed ? _(" (changed)") : "",
                                          ui->progress ? ui->progress : "");
    draw_text(LINES - 2, 0, st, COLS, TRUE);
    attrset(A_NORMAL);
    message_draw(ui);
    refresh();
}

/* Split an address list at the commas that are outside quotes and <>. */
static GPtrArray *
split_recipients(const char *list)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    gboolean quoted = FALSE;
    int angle = 0;
    const char *start = list;
    for (const char *p = list;; p++) {
        if (*p == '\\' && quoted && p[1]) {
            p++;
            continue;
        }
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == '<')
            angle++;
        else if (!quoted && *p == '>' && angle > 0)
            angle--;
        if (*p == '\0' || (*p == ',' && !quoted && angle == 0)) {
            char *one = g_strstrip(g_strndup(start, (gsize)(p - start)));
            if (*one)
                g_ptr_array_add(out, one);
            else
                g_free(one);
            if (!*p)
                break;
            start = p + 1;
        }
    }
    return out;
}

/* LIST with every entry that names an address-book group replaced by
 * the group's members.  What was sent to goes to USED (the group names
 * too, so completion ranks them).  NULL with an error for an empty group. */
static char *
expand_recipients(Compose *c, const char *list, GPtrArray *used, GError **error)
{
    if (!list)
        return NULL;
    g_autoptr(GPtrArray) parts = split_recipients(list);
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < parts->len; i++) {
        const char *one = parts->pdata[i];
        g_autoptr(GPtrArray) members = NULL;
        if (c->abook && !strchr(one, '@'))
            members = abook_expand(c->abook, one);
        if (members && members->len == 0) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                        _("The address-book group %s has no members."), one);
            g_string_free(out, TRUE);
            return NULL;
        }
        if (members || strchr(one, '@'))
            g_ptr_array_add(used, g_strdup(one));
        for (guint k = 0; members && k < members->len; k++) {
            g_string_append_printf(out, "%s%s", out->len ? ", " : "",
                                   (char *)members->pdata[k]);
            g_ptr_array_add(used, g_strdup(members->pdata[k]));
        }
        if (!members)
            g_string_append_printf(out, "%s%s", out->len ? ", " : "", one);
    }
    return g_string_free(out, FALSE);
}

/* After the message is safely queued: count each recipient (and group)
 * once more for completion ranking, and save the counts. */
static void
note_used(Compose *c, GPtrArray *used)
{
    if (!c->abook)
        return;
    for (guint i = 0; i < used->len; i++)
        abook_note_used(c->abook, used->pdata[i]);
    g_autoptr(GError) error = NULL;
    if (!abook_save(c->abook, &error))   /* use counts only: not worth stopping for */
        g_debug("address book: %s", error->message);
}

/* Mark the original replied (once the reply is on its way, not when it
 * is put in Drafts), or the resumed draft deleted, when the folder
 * showing it is still open. */
static void
after_done(Compose *c, gboolean sent)
{
    Ui *ui = c->ui;
    if (!(c->is_reply && sent) && !c->from_draft)
        return;
    if (!ui->folder ||
        g_strcmp0(ui->folder_name, c->orig_folder) != 0)
        return;
    for (guint i = 0; i < ui->view.n; i++) {
        const StoreMessage *m = store_folder_get(ui->folder, i);
        if (m->offset != c->orig_offset || g_strcmp0(m->message_id, c->orig_msgid))
            continue;
        store_folder_set_flags(ui->folder, i,
                               m->flags | (c->from_draft ? MSG_DELETED : MSG_REPLIED));
        if (c->from_draft) {
            g_autoptr(GError) error = NULL;
            guint n, n_trashed;
            /* The draft lives on as the message: no copy for the Trash. */
            ui_note_moved(ui, i);
            if (ui_expunge_folder(ui, &n, &n_trashed, &error)) {
                view_rebuild(&ui->view, TRUE);
                msglist_reselect(ui);
            }
        }
        break;
    }
}

/* 'y' send now, 'w' queue, 'P' draft.  TRUE when the compose is over. */
static gboolean
finish(Compose *c, int how)
{
    Ui *ui = c->ui;
    MimeDraft *d = c->d;
    if (how != 'P' && !d->to && !d->cc && !d->bcc) {
        ui_error(ui, _("No recipients: give at least To, Cc or Bcc."));
        return FALSE;
    }
    if (!d->from_address) {
        ui_error(ui, _("No sender address: set up an account first (see postie.conf(5))."));
        return FALSE;
    }
    if (how != 'P' && (!d->subject || !*d->subject) &&
        !prompt_yesno(ui, _("No subject. Send anyway?"), FALSE))
        return FALSE;

    g_autoptr(GError) error = NULL;
    /* Groups become their members in the message sent; the draft keeps
     * the group names (a saved draft is expanded when it is sent). */
    g_autoptr(GPtrArray) used = g_ptr_array_new_with_free_func(g_free);
    char *lists[3] = { NULL, NULL, NULL };
    char **fields[3] = { &d->to, &d->cc, &d->bcc };
    if (how != 'P') {
        for (int i = 0; i < 3; i++) {
            if (*fields[i] && !(lists[i] = expand_recipients(c, *fields[i], used, &error))) {
                ui_error(ui, "%s", error->message);
                for (int k = 0; k < i; k++)
                    g_free(lists[k]);
                return FALSE;
            }
        }
        for (int i = 0; i < 3; i++) {
            char *typed = *fields[i];
            *fields[i] = lists[i];
            lists[i] = typed;
        }
    }
    g_autoptr(GBytes) msg = mime_build(d, &error);
    if (how != 'P') {
        for (int i = 0; i < 3; i++) {
            g_free(*fields[i]);
            *fields[i] = lists[i];
        }
    }
    if (!msg) {
        ui_error(ui, "%s", error->message);
        return FALSE;
    }
    g_autoptr(GBytes) ready = compose_crypt_apply(ui, &c->crypt, c->account, c->abook, msg,
                                                  how == 'P');
    if (!ready)
        return FALSE;
    gsize len;
    const char *data = g_bytes_get_data(ready, &len);
    if (how == 'P') {
        g_autofree char *path = store_path_for(ui->mail_dir, STORE_DRAFTS, &error);
        if (!path || !store_append(path, data, len, MSG_READ, &error)) {
            ui_error(ui, "%s", error->message);
            return FALSE;
        }
        ui_message(ui, _("Saved in Drafts."));
        after_done(c, FALSE);
        return TRUE;
    }
    SendQueueOptions opts = { 0 };
    opts.account = c->account ? c->account->id : NULL;
    g_autofree char *account = NULL;
    if (!send_queue(ui->cfg, data, len, &opts, &account, NULL, &error)) {
        ui_error(ui, "%s", error->message);
        return FALSE;
    }
    note_used(c, used);
    after_done(c, TRUE);
    ui_update_outbox(ui);
    if (how == 'y') {
        ui_message(ui, _("Queued; sending..."));
        ui_start_send(ui, account);
    } else {
        g_autofree char *k = keymap_first_key(ui->keys, ACT_SEND_OUTBOX);
        ui_message(ui, _("Queued in the Outbox; press %s to send it."), k);
    }
    return TRUE;
}

static void
compose_run(Compose *c)
{
    Ui *ui = c->ui;
    for (;;) {
        draw_form(c);
        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
        if (key == (UI_KEY_FUNC | KEY_EXIT)) {
            /* The terminal went away: keep what was written in Drafts. */
            if (c->changed)
                finish(c, 'P');
            return;
        }
        g_clear_pointer(&ui->message, g_free);
        UiAction a = keymap_lookup(ui->keys, key);
        switch (key) {
        case 't': edit_field(c, _("To"), &c->d->to, TRUE); continue;
        case 'c': edit_field(c, _("Cc"), &c->d->cc, TRUE); continue;
        case 'b': edit_field(c, _("Bcc"), &c->d->bcc, TRUE); continue;
        case 's': edit_field(c, _("Subject"), &c->d->subject, FALSE); continue;
        case 'e': edit_body(c); continue;
        case 'a': add_attachment(c); continue;
        case 'p': compose_crypt_choose(ui, &c->crypt); c->changed = TRUE; continue;
        case 'D':
            if (c->sel >= 0 && (guint)c->sel < c->d->attachments->len) {
                g_ptr_array_remove_index(c->d->attachments, (guint)c->sel);
                c->sel = MIN(c->sel, (int)c->d->attachments->len - 1);
                c->changed = TRUE;
            }
            continue;
        case 'i': {
            GPtrArray *accts = ui->cfg->accounts;
            if (accts->len == 0)
                continue;
            guint k = 0;
            while (k < accts->len && accts->pdata[k] != c->account)
                k++;
            set_identity(c, accts->pdata[(k + 1) % accts->len]);
            c->changed = TRUE;
            continue;
        }
        case 'y': case 'w': case 'P':
            if (finish(c, key))
                return;
            continue;
        default:
            break;
        }
        if (a == ACT_DOWN)
            c->sel = MIN(c->sel + 1, (int)c->d->attachments->len - 1);
        else if (a == ACT_UP)
            c->sel = MAX(c->sel - 1, 0);
        else if (a == ACT_QUIT || key == 27) {
            if (!c->changed ||
                prompt_yesno(ui, _("Discard this message?"), FALSE)) {
                ui_message(ui, _("Message discarded."));
                return;
            }
        }
    }
}

/* Remove DIR and the files in it (the extracted attachments: plain
 * files that mime_attachment_save wrote). */
static void
remove_tmp_dir(const char *dir)
{
    if (!dir)
        return;
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d) {
        const char *name;
        while ((name = g_dir_read_name(d))) {
            g_autofree char *path = g_build_filename(dir, name, NULL);
            g_unlink(path);
        }
        g_dir_close(d);
    }
    g_rmdir(dir);
}

static void
compose_free(Compose *c)
{
    mime_draft_free(c->d);
    if (c->abook)
        abook_free(c->abook);
    g_free(c->orig_folder);
    g_free(c->orig_msgid);
    remove_tmp_dir(c->tmp_dir);
    g_free(c->tmp_dir);
}

static void
compose_init(Compose *c, Ui *ui, MimeDraft *d)
{
    memset(c, 0, sizeof *c);
    c->ui = ui;
    c->d = d;
    if (!d->attachments)
        d->attachments = g_ptr_array_new_with_free_func(g_free);
    Account *a = d->from_address ? conf_account_for_address(ui->cfg, d->from_address) : NULL;
    set_identity(c, a ? a : conf_default_account(ui->cfg));
    g_autoptr(GError) error = NULL;
    c->abook = abook_open(NULL, NULL, &error);   /* no book: no completion */
}

static void
remember_original(Compose *c, const StoreMessage *m)
{
    c->orig_folder = g_strdup(c->ui->folder_name);
    c->orig_offset = m->offset;
    c->orig_msgid = g_strdup(m->message_id);
}

static char *
header_of(const char *data, gsize len, const char *name)
{
    g_autofree char *v = mime_header_get(data, len, name);
    if (!v)
        return NULL;
    char *decoded = mime_header_decode_text(v);
    return g_strstrip(decoded);
}

/* Write the attachments of VIEW as files into a new private directory
 * (0700, under $TMPDIR) and add their paths to D, so the resumed draft
 * carries them on.  *DIR_OUT gets the directory, removed when the compose
 * is over. */
static gboolean
extract_attachments(const MimeView *view, MimeDraft *d, char **dir_out, GError **error)
{
    *dir_out = NULL;
    if (view->attachments->len == 0)
        return TRUE;
    g_autofree char *dir = g_dir_make_tmp("postie-draft-XXXXXX", error);
    if (!dir)
        return FALSE;
    for (guint i = 0; i < view->attachments->len; i++) {
        char *path = mime_attachment_save(view->attachments->pdata[i], dir, error);
        if (!path) {
            remove_tmp_dir(dir);
            return FALSE;
        }
        g_ptr_array_add(d->attachments, path);
    }
    *dir_out = g_steal_pointer(&dir);
    return TRUE;
}

/* A draft from the Drafts folder back into a MimeDraft: text, headers and
 * attachments (as files in *TMP_DIR). */
static MimeDraft *
draft_from_message(Ui *ui, guint idx, char **tmp_dir, GError **error)
{
    g_autoptr(GBytes) raw = store_folder_read(ui->folder, idx, error);
    if (!raw)
        return NULL;
    g_autoptr(MimeView) view = mime_view_new(raw, NULL, error);
    if (!view)
        return NULL;
    gsize len;
    const char *data = g_bytes_get_data(raw, &len);
    MimeDraft *d = mime_draft_new();
    g_autofree char *from_value = mime_header_get(data, len, "From");
    g_autoptr(GPtrArray) from = mime_address_list_parse(from_value);
    if (from && from->len > 0)
        d->from_address = g_strdup(((MimeMailbox *)from->pdata[0])->address);
    d->to = header_of(data, len, "To");
    d->cc = header_of(data, len, "Cc");
    d->bcc = header_of(data, len, "Bcc");
    /* The Subject from inside the encryption when the sender protected it. */
    d->subject = view->protected_subject ? g_strdup(view->protected_subject)
                                         : header_of(data, len, "Subject");
    d->in_reply_to = header_of(data, len, "In-Reply-To");
    d->references = header_of(data, len, "References");
    d->body = g_strdup(view->body_text ? view->body_text : "");
    if (!extract_attachments(view, d, tmp_dir, error)) {
        mime_draft_free(d);
        return NULL;
    }
    return d;
}

static gboolean
has_sig_separator(const char *sig)
{
    return g_str_has_prefix(sig, "-- \n") || g_str_has_prefix(sig, "-- \r\n") ||
           !strcmp(sig, "-- ");
}

/* A new message; TO given (from the address book) or asked. */
static void
compose_fresh(Ui *ui, const char *to)
{
    Compose c;
    compose_init(&c, ui, mime_draft_new());
    if (to)
        c.d->to = g_strdup(to);
    else
        edit_field(&c, _("To"), &c.d->to, TRUE);
    /* Esc at To or at Subject cancels the message, as in mutt. */
    if (!c.d->to || !edit_field(&c, _("Subject"), &c.d->subject, FALSE)) {
        ui_message(ui, _("Message not written."));
        compose_free(&c);
        return;
    }
    if (c.account && c.account->signature_file) {
        g_autofree char *path = paths_expand_home(c.account->signature_file);
        g_autofree char *sig = NULL;
        /* A signature that has its own "-- " line gets no second one. */
        if (g_file_get_contents(path, &sig, NULL, NULL))
            c.d->body = g_strconcat("\n\n", has_sig_separator(sig) ? "" : "-- \n", sig, NULL);
    }
    edit_body(&c);
    c.changed = TRUE;
    compose_run(&c);
    compose_free(&c);
}

void
compose_new(Ui *ui)
{
    Compose c;
    const StoreMessage *m = msglist_selected(ui);
    if (m && !g_strcmp0(ui->folder_name, STORE_DRAFTS) &&
        prompt_yesno(ui, _("Resume the selected draft?"), TRUE)) {
        g_autoptr(GError) error = NULL;
        char *tmp_dir = NULL;
        MimeDraft *d = draft_from_message(ui, ui->sel_idx, &tmp_dir, &error);
        if (!d) {
            ui_error(ui, _("Cannot resume the draft: %s"), error->message);
            return;
        }
        compose_init(&c, ui, d);
        if (m->crypto & STORE_CRYPTO_ENCRYPTED) {   /* stored encrypted: meant to be */
            c.crypt.flags |= MIME_PROTECT_ENCRYPT;
            c.crypt.chosen = TRUE;
        }
        c.tmp_dir = tmp_dir;
        c.from_draft = TRUE;
        remember_original(&c, m);
        compose_run(&c);
        compose_free(&c);
        return;
    }

    compose_fresh(ui, NULL);
}

void
compose_to(Ui *ui, const char *to)
{
    compose_fresh(ui, to);
}

void
compose_forward_draft(Ui *ui, MimeDraft *d)
{
    Compose c;
    compose_init(&c, ui, d);
    edit_field(&c, _("To"), &c.d->to, TRUE);
    if (!c.d->to) {
        compose_free(&c);
        return;
    }
    edit_body(&c);
    c.changed = TRUE;
    compose_run(&c);
    compose_free(&c);
}

void
compose_reply(Ui *ui, MimeReplyKind kind)
{
    const StoreMessage *m = msglist_selected(ui);
    if (!m) {
        ui_error(ui, _("No message selected."));
        return;
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) raw = store_folder_read(ui->folder, ui->sel_idx, &error);
    if (!raw) {
        ui_error(ui, "%s", error->message);
        return;
    }
    GPtrArray *own = g_ptr_array_new();
    for (guint i = 0; i < ui->cfg->accounts->len; i++)
        g_ptr_array_add(own, ((Account *)ui->cfg->accounts->pdata[i])->address);
    g_ptr_array_add(own, NULL);
    MimeViewOptions opts = { 0 };
    opts.html_converter = ui->cfg->html_converter;
    MimeDraft *d = mime_reply_draft(raw, kind, (const char *const *)own->pdata, &opts, &error);
    g_ptr_array_free(own, TRUE);
    if (!d) {
        ui_error(ui, "%s", error->message);
        return;
    }
    Compose c;
    compose_init(&c, ui, d);
    if (m->crypto & STORE_CRYPTO_ENCRYPTED) {   /* replies to encrypted mail stay encrypted */
        c.crypt.flags |= MIME_PROTECT_ENCRYPT;
        c.crypt.chosen = TRUE;
    }
    if (kind == MIME_REPLY || kind == MIME_REPLY_ALL) {
        c.is_reply = TRUE;
        remember_original(&c, m);
    } else if (!edit_field(&c, _("To"), &c.d->to, TRUE) || !c.d->to) {
        ui_message(ui, _("Message not written."));
        compose_free(&c);
        return;
    }
    edit_body(&c);
    c.changed = TRUE;
    compose_run(&c);
    compose_free(&c);
}
