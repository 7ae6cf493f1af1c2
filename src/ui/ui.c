/* ui_main: from the command line to the screen and back.  Loads the
 * configuration (or runs the first-run setup), prepares the folder
 * directory and the terminal, and runs the main loop of screen.c. */
#include <config.h>

#include <fcntl.h>
#include <unistd.h>

#include "ui/private.h"
#include "ui/ui.h"

static gboolean
config_exists(CmdContext *ctx)
{
    if (ctx->config_path)
        return g_file_test(ctx->config_path, G_FILE_TEST_EXISTS);
    g_autofree char *def = paths_default_config_file();
    return g_file_test(def, G_FILE_TEST_EXISTS);
}

static void
ui_free(Ui *ui)
{
    ui_close_folder(ui);
    keymap_free(ui->keys);
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
    g_free(ui->progress);
    g_free(ui->sel_msgid);
    if (ui->moved)
        g_hash_table_unref(ui->moved);
    if (ui->folder_counts)
        g_hash_table_unref(ui->folder_counts);
    if (ui->new_mail_in)
        g_hash_table_unref(ui->new_mail_in);
    if (ui->wake_fd[0] >= 0) {
        close(ui->wake_fd[0]);
        close(ui->wake_fd[1]);
    }
}

void
ui_check_config(const PostieConfig *cfg, GPtrArray *problems)
{
    keymap_free(keymap_new(cfg, problems));
    colors_check(cfg, problems);
}

int
ui_main(CmdContext *ctx)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        cmd_errorf(_("the mail screen needs a terminal; see 'postie --help' "
                     "for the commands that work without one"));
        return EXIT_USAGE;
    }
    if (!config_exists(ctx)) {
        g_autofree char *written = setup_run(ctx->config_path);
        if (!written)
            return EXIT_OK;
        if (!ctx->config_path)
            ctx->config_path = NULL; /* the default location was written */
    }
    PostieConfig *cfg = cmd_load_config(ctx);
    if (!cfg)
        return EXIT_FAIL;

    mime_init();
    Ui ui = { 0 };
    ui.cfg = cfg;
    ui.wake_fd[0] = ui.wake_fd[1] = -1;
    ui.mail_dir = g_strdup(cfg->mail_dir);
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
        cmd_print_error(error);
        ui_free(&ui);
        return EXIT_FAIL;
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
    set_escdelay(25);
    if (!initscr()) {
        cmd_errorf(_("cannot start the screen (is TERM set?)"));
        ui_free(&ui);
        return EXIT_FAIL;
    }
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    colors_init(cfg, ui.problems);

    folders_reload(&ui);
    /* -f FOLDER, else the default account's inbox setting, else Inbox. */
    const Account *acc = conf_default_account(cfg);
    const char *start = ctx->open_folder ? ctx->open_folder
                      : acc && acc->inbox ? acc->inbox : STORE_INBOX;
    if (!ui_open_folder(&ui, start) && ctx->open_folder) {
        endwin();
        g_autofree char *msg = g_strdup(ui.message);
        ui_features_shutdown(&ui);
        ui_free(&ui);
        cmd_errorf("%s", msg ? msg : ctx->open_folder);
        return EXIT_FAIL;
    }
    folderpane_update(&ui);
    ui_update_outbox(&ui);
    if (ui.problems->len > 0) {
        g_autofree char *first = conf_problem_format(ui.problems->pdata[0]);
        ui_error(&ui, "%s", first);
    }

    ui_loop(&ui);
    ui_features_shutdown(&ui);
    endwin();
    ui_free(&ui);
    return EXIT_OK;
}
