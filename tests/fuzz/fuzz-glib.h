#pragma once

#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

/* A CRITICAL or WARNING from GLib or json-glib (a g_return_if_fail on input of the wrong shape)
 * is a finding like a crash. G_DEBUG=fatal-criticals would stop the run with SIGTRAP, which
 * libFuzzer does not catch, so no input would be saved; abort() raises SIGABRT, which it does. */
static void
fuzz_abort_on_warning (const char     *log_domain,
                       GLogLevelFlags  log_level,
                       const char     *message,
                       gpointer        user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      fprintf (stderr, "%s: %s\n", log_domain != NULL ? log_domain : "(no domain)", message);
      abort ();
    }
}

static inline void
fuzz_glib_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_default_handler (fuzz_abort_on_warning, NULL);
      g_once_init_leave (&done, 1);
    }
}
