/* ui_main: from the command line to the screen and back.  Loads the
 * configuration (or runs the first-run setup), prepares the folder
 * directory and the terminal, and runs the main loop of screen.c. */
#include <config.h>

#include <fcntl.h>
#include <unistd.h>

#include "ui/private.h"
#include "ui/ui.h"

static gboolean
config_exists(const char *config_path)
{
    if (config_path)
        return g_file_test(config_path, G_FILE_TEST_EXISTS);
    g_autofree char *def = paths_default_config_file();
    return g_file_test(def, G_FILE_TEST_EXISTS);
}

/* Before the screen starts, problems go to standard error; a file with
 * errors is refused (as every command does). */
static PostieConfig *
load_config(const char *config_path)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    PostieConfig *cfg = conf_load(config_path, &problems, &error);
    if (!cfg) {
        g_printerr("postie: %s\n", error->message);
        return NULL;
    }
    for (guint i = 0; problems && i < problems->len; i++) {
        g_autofree char *line = conf_problem_format(problems->pdata[i]);
        g_printerr("%s\n", line);
    }
    if (conf_has_errors(problems)) {
        conf_free(cfg);
        return NULL;
    }
    store_set_default_lock_timeout(cfg->lock_timeout);
    return cfg;
}

static void
ui_free(Ui *ui)
{
    ui_close_folder(ui);
    keymap_free(ui->keys);
    if (ui->cfg)
        conf_free(ui->cfg);
    if (ui->folders)
        g_ptr_array_unref(ui->folders);
    if (ui->problems)
        g_ptr_array_unref(ui->problems);
    g_free(ui->folder_name);
    g_free(ui->mail_dir);
    g_free(ui->search);
    pattern_free(ui->search_pat);
    g_free(ui->last_pipe);
    g_free(ui->pager_search);
    g_free(ui->message);
    msglog_free(ui);
    g_free(ui->progress);
    g_free(ui->sel_msgid);
    if (ui->moved)
        g_hash_table_unref(ui->moved);
    if (ui->moved_here)
        g_hash_table_unref(ui->moved_here);
    if (ui->folder_counts)
        g_hash_table_unref(ui->folder_counts);
    if (ui->new_mail_in)
        g_hash_table_unref(ui->new_mail_in);
    if (ui->wake_fd[0] >= 0) {
        close(ui->wake_fd[0]);
        close(ui->wake_fd[1]);
    }
}

int
ui_main(const char *config_path, const char *open_folder)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        g_printerr("postie: %s\n",
                   _("the mail screen needs a terminal; see 'postie --help' "
                     "for the commands that work without one"));
        return 2;
    }
    if (!config_exists(config_path)) {
        g_autofree char *written = setup_run(config_path);
        if (!written)
            return 0;
    }
    PostieConfig *cfg = load_config(config_path);
    if (!cfg)
        return 1;

    mime_init();
    Ui ui = { 0 };
    ui.cfg = cfg;
    ui.wake_fd[0] = ui.wake_fd[1] = -1;
    ui.mail_dir = g_strdup(cfg->mail_dir);
    ui.log_follow = TRUE;
    ui.problems = g_ptr_array_new_with_free_func(conf_problem_free);
    ui.show_folders = cfg->folder_list;
    ui.preview_mode = !g_strcmp0(cfg->preview, "right") ? PREVIEW_RIGHT
                    : !g_strcmp0(cfg->preview, "off") ? PREVIEW_OFF : PREVIEW_BELOW;
    ui.preview_percent = cfg->preview_size > 0 ? cfg->preview_size : 50;
    SortKey sort = SORT_DATE;
    sort_from_name(cfg->sort, &sort);
    ui.view.sort = sort;
    ui.view.threads = cfg->threads;

    g_autoptr(GError) error = NULL;
    if (!paths_ensure_dir(ui.mail_dir, 0700, &error) ||
        !store_ensure_default_folders(ui.mail_dir, &error)) {
        g_printerr("postie: %s\n", error->message);
        ui_free(&ui);
        return 1;
    }
    if (pipe(ui.wake_fd) == 0) {
        fcntl(ui.wake_fd[0], F_SETFL, O_NONBLOCK);
        fcntl(ui.wake_fd[1], F_SETFL, O_NONBLOCK);
        fcntl(ui.wake_fd[0], F_SETFD, FD_CLOEXEC);
        fcntl(ui.wake_fd[1], F_SETFD, FD_CLOEXEC);
    } else {
        ui.wake_fd[0] = ui.wake_fd[1] = -1;
    }
    ui_features_init(&ui);

    ui.keys = keymap_new(cfg, ui.problems);
    if (!terminal_start(cfg, ui.problems)) {
        g_printerr("postie: %s\n", _("cannot start the screen (is TERM set?)"));
        ui_free(&ui);
        return 1;
    }

    folders_reload(&ui);
    /* -f FOLDER, else the default account's inbox setting, else Inbox. */
    const Account *acc = conf_default_account(cfg);
    const char *start = open_folder ? open_folder
                      : acc && acc->inbox ? acc->inbox : STORE_INBOX;
    if (!ui_open_folder(&ui, start) && open_folder) {
        endwin();
        g_autofree char *msg = g_strdup(ui.message);
        ui_features_shutdown(&ui);
        ui_free(&ui);
        g_printerr("postie: %s\n", msg ? msg : open_folder);
        return 1;
    }
    folderpane_update(&ui);
    ui_update_outbox(&ui);
    ui_catch_signals(&ui);
    if (ui.problems->len > 0) {
        g_autofree char *first = conf_problem_format(ui.problems->pdata[0]);
        ui_error(&ui, "%s", first);
    }

    ui_loop(&ui);
    ui_features_shutdown(&ui);
    endwin();
    ui_release_signals();
    ui_free(&ui);
    return 0;
}
