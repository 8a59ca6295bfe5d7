#define G_LOG_DOMAIN "sextant-tar-writer"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/sextant-tar-writer.h"

/* A gzip-compressed POSIX ustar archive of regular files, the format every system unpacks
 * (tar, file managers, Python's tarfile) without Sextant: what the export of everything writes.
 * Files only, mode 0600; the folders are implied by the names. The archive is written beside
 * its path and renamed into place by sextant_tar_writer_close(), so a half-written one never
 * carries the final name. */

#define BLOCK 512

struct _SextantTarWriter
{
  gzFile  out;
  char   *path;
  char   *partial;
};

static gboolean
fail (GError     **error,
      const char  *what,
      const char  *path)
{
  int saved = errno;

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved ? saved : EIO), "%s %s: %s", what, path,
               g_strerror (saved ? saved : EIO));

  return FALSE;
}

/**
 * sextant_tar_writer_new:
 * @path: the archive to write (`.tar.gz`), readable by its owner only
 * @error: return location
 *
 * Returns: (transfer full) (nullable): a writer, or %NULL
 */
SextantTarWriter *
sextant_tar_writer_new (const char  *path,
                        GError     **error)
{
  g_autoptr(SextantTarWriter) self = g_new0 (SextantTarWriter, 1);
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  self->partial = g_strconcat (path, ".partial", NULL);
  g_unlink (self->partial);
  if ((fd = g_open (self->partial, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
    {
      fail (error, "Cannot create", self->partial);
      return NULL;
    }
  if ((self->out = gzdopen (fd, "wb6")) == NULL)
    {
      close (fd);
      fail (error, "Cannot write", self->partial);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static void
put_octal (char   *field,
           gsize   width,
           guint64 value)
{
  /* width - 1 digits and a NUL, as ustar wants. */
  g_snprintf (field, width, "%0*" G_GINT64_MODIFIER "o", (int) width - 1, value);
}

/**
 * sextant_tar_writer_add:
 * @self: a writer
 * @name: the file's path in the archive, relative, '/'-separated, at most 255 bytes
 * @data: its contents
 * @len: their length
 * @mtime: its time, seconds since 1970
 * @error: return location
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_tar_writer_add (SextantTarWriter  *self,
                        const char        *name,
                        gconstpointer      data,
                        gsize              len,
                        gint64             mtime,
                        GError           **error)
{
  char header[BLOCK] = { 0 };
  static const char zeros[BLOCK] = { 0 };
  gsize name_len, split = 0;
  guint sum = 0;

  g_return_val_if_fail (self != NULL && self->out != NULL, FALSE);
  g_return_val_if_fail (name != NULL && name[0] != '/' && (data != NULL || len == 0), FALSE);

  name_len = strlen (name);
  if ((guint64) len >= G_GUINT64_CONSTANT (1) << 33)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s is too large for the archive", name);
      return FALSE;
    }
  /* A long name goes in two parts, prefix (155) and name (100), split at a '/'. */
  if (name_len > 100)
    {
      for (gsize i = MIN (name_len - 1, 155); i > 0 && split == 0; i--)
        if (name[i] == '/' && name_len - i - 1 <= 100)
          split = i;
      if (split == 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NAMETOOLONG, "The name %s is too long for the archive", name);
          return FALSE;
        }
      memcpy (header + 345, name, split);
      memcpy (header, name + split + 1, name_len - split - 1);
    }
  else
    memcpy (header, name, name_len);
  put_octal (header + 100, 8, 0600);
  put_octal (header + 108, 8, 0);
  put_octal (header + 116, 8, 0);
  put_octal (header + 124, 12, len);
  put_octal (header + 136, 12, (guint64) MAX (mtime, 0));
  header[156] = '0';
  memcpy (header + 257, "ustar", 6);
  memcpy (header + 263, "00", 2);
  memset (header + 148, ' ', 8);
  for (guint i = 0; i < BLOCK; i++)
    sum += (guchar) header[i];
  g_snprintf (header + 148, 8, "%06o", sum);
  header[155] = ' ';

  if (gzwrite (self->out, header, BLOCK) != BLOCK ||
      (len > 0 && (gsize) gzwrite (self->out, data, (unsigned) len) != len) ||
      (len % BLOCK != 0 && gzwrite (self->out, zeros, BLOCK - len % BLOCK) != (int) (BLOCK - len % BLOCK)))
    return fail (error, "Cannot write", self->partial);

  return TRUE;
}

/**
 * sextant_tar_writer_close:
 * @self: (transfer full): a writer
 * @error: return location
 *
 * Ends the archive and renames it into place; frees @self either way.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_tar_writer_close (SextantTarWriter  *self,
                          GError           **error)
{
  static const char zeros[2 * BLOCK] = { 0 };
  gboolean ok;

  g_return_val_if_fail (self != NULL && self->out != NULL, FALSE);

  ok = gzwrite (self->out, zeros, sizeof zeros) == sizeof zeros;
  ok = gzclose (self->out) == Z_OK && ok;
  self->out = NULL;
  if (!ok)
    fail (error, "Cannot write", self->partial);
  else if (g_rename (self->partial, self->path) != 0)
    ok = fail (error, "Cannot rename to", self->path);
  sextant_tar_writer_free (self);

  return ok;
}

/**
 * sextant_tar_writer_free:
 * @self: a writer
 *
 * Abandons an archive not closed: its partial file is removed.
 */
void
sextant_tar_writer_free (SextantTarWriter *self)
{
  if (self == NULL)
    return;
  if (self->out != NULL)
    {
      gzclose (self->out);
      g_unlink (self->partial);
    }
  g_free (self->path);
  g_free (self->partial);
  g_free (self);
}
