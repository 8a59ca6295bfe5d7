#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. When the floor moves, this goes and its
 * callers use g_set_str(). Returns whether *@field changed. */
static inline gboolean
sextant_set_str (char       **field,
                 const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

G_END_DECLS
