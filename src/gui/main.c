#define G_LOG_DOMAIN "sextant"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sextant-application.h"
#include "sextant-core.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SextantApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  sextant_log_writer_install_default ();

  app = sextant_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
