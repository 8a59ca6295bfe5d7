#define G_LOG_DOMAIN "sextant"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sextant-application.h"
#include "sextant-core.h"

#define LOG_MAX_BYTES (5 * 1024 * 1024)
#define LOG_N_FILES   3

int
main (int    argc,
      char **argv)
{
  g_autoptr(SextantApplication) app = NULL;
  g_autofree char *state_dir = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  state_dir = sextant_data_dirs_dup_state ();
  sextant_log_writer_install (state_dir, LOG_MAX_BYTES, LOG_N_FILES);

  app = sextant_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
