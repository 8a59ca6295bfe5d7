#define G_LOG_DOMAIN "sextant-s3-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jobs/sextant-aws-request.h"
#include "jobs/sextant-jobs-error.h"
#include "jobs/sextant-s3-client.h"

/* Amazon S3's PutObject and GetObject, signed with S3's SigV4 rules (the path encoded once, the
 * body's SHA-256 in x-amz-content-sha256) and sent whole with a Content-Length: shard files are
 * a few megabytes, far below the 5 GB a single PUT takes. */

struct _SextantS3Client
{
  GObject            parent_instance;
  SextantAwsService  service;
  char              *region;
  char              *endpoint;
  gboolean           path_style;
};

G_DEFINE_FINAL_TYPE (SextantS3Client, sextant_s3_client, G_TYPE_OBJECT)

static void
sextant_s3_client_finalize (GObject *object)
{
  SextantS3Client *self = SEXTANT_S3_CLIENT (object);

  sextant_aws_service_clear (&self->service);
  g_free (self->region);
  g_free (self->endpoint);
  G_OBJECT_CLASS (sextant_s3_client_parent_class)->finalize (object);
}

static void
sextant_s3_client_class_init (SextantS3ClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_s3_client_finalize;
}

static void
sextant_s3_client_init (SextantS3Client *self)
{
}

/**
 * sextant_s3_client_new:
 * @region: the bucket's region
 * @credentials: the keys to sign with
 * @session: (nullable): a session to share; %NULL makes one
 *
 * The endpoint follows the SDKs: `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`, then
 * `https://s3.REGION.amazonaws.com`. An overridden endpoint is addressed path-style
 * (`ENDPOINT/BUCKET/KEY`, as S3-compatible stores expect), the default one virtual-hosted.
 *
 * Returns: (transfer full) (nullable): a client, or %NULL for a refused endpoint
 */
SextantS3Client *
sextant_s3_client_new (const char                   *region,
                       const SextantAwsCredentials  *credentials,
                       SoupSession                  *session,
                       GError                      **error)
{
  g_autoptr(SextantS3Client) self = NULL;
  g_autofree char *endpoint = NULL;

  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (credentials != NULL, NULL);

  endpoint = sextant_aws_service_endpoint ("AWS_ENDPOINT_URL_S3", "s3", region, error);
  if (endpoint == NULL)
    return NULL;
  self = g_object_new (SEXTANT_TYPE_S3_CLIENT, NULL);
  sextant_aws_service_init (&self->service, region, "s3", credentials, session);
  self->region = g_strdup (region);
  self->path_style = !g_str_has_suffix (endpoint, ".amazonaws.com");
  self->endpoint = g_steal_pointer (&endpoint);
  return g_steal_pointer (&self);
}

/**
 * sextant_s3_client_dup_url:
 *
 * Returns: (transfer full): the HTTP URL of the object, its key escaped once
 */
char *
sextant_s3_client_dup_url (SextantS3Client *self,
                           const char      *bucket,
                           const char      *key)
{
  g_autofree char *escaped = g_uri_escape_string (key, "/", FALSE);

  g_return_val_if_fail (SEXTANT_IS_S3_CLIENT (self), NULL);

  /* a bucket name with a dot would not match the wildcard certificate as a host name */
  if (self->path_style || strchr (bucket, '.') != NULL)
    return g_strdup_printf ("%s/%s/%s", self->endpoint, bucket, escaped);
  return g_strdup_printf ("https://%s.s3.%s.amazonaws.com/%s", bucket, self->region, escaped);
}

static gboolean
check_names (const char  *bucket,
             const char  *key,
             GError     **error)
{
  /* S3's rules: 3-63 lower-case letters, digits, dots and hyphens */
  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket, 0, 0))
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an S3 bucket name (3 to 63 lower-case letters, digits, dots "
                     "and hyphens)"), bucket);
      return FALSE;
    }
  if (*key == '\0' || strlen (key) > 1024 || !g_utf8_validate (key, -1, NULL))
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_INVALID_ARGUMENT,
                   _("An S3 key must be 1 to 1,024 bytes of UTF-8"));
      return FALSE;
    }
  return TRUE;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *body = sextant_aws_service_send_finish (result, &error);

  if (body == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
}

static void
send (SextantS3Client     *self,
      const char          *method,
      const char          *bucket,
      const char          *key,
      GBytes              *body,
      gpointer             source_tag,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *what = NULL;

  g_task_set_source_tag (task, source_tag);
  if (!check_names (bucket, key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  url = sextant_s3_client_dup_url (self, bucket, key);
  what = g_strdup_printf ("S3 %s s3://%s/%s", g_str_equal (method, "PUT") ? "PutObject"
                                                                          : "GetObject",
                          bucket, key);
  sextant_aws_service_send_async (&self->service, self, method, url,
                                  body != NULL ? "application/octet-stream" : NULL, body, what,
                                  cancellable, sent_cb, g_steal_pointer (&task));
}

void
sextant_s3_client_put_object_async (SextantS3Client     *self,
                                    const char          *bucket,
                                    const char          *key,
                                    GBytes              *body,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (SEXTANT_IS_S3_CLIENT (self));
  g_return_if_fail (body != NULL);

  send (self, "PUT", bucket, key, body, sextant_s3_client_put_object_async, cancellable,
        callback, user_data);
}

gboolean
sextant_s3_client_put_object_finish (SextantS3Client  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), error);

  return body != NULL;
}

void
sextant_s3_client_get_object_async (SextantS3Client     *self,
                                    const char          *bucket,
                                    const char          *key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (SEXTANT_IS_S3_CLIENT (self));

  send (self, "GET", bucket, key, NULL, sextant_s3_client_get_object_async, cancellable,
        callback, user_data);
}

/**
 * sextant_s3_client_get_object_finish:
 *
 * Returns: (transfer full): the object's bytes; a missing object is
 *   %SEXTANT_JOBS_ERROR_NOT_FOUND
 */
GBytes *
sextant_s3_client_get_object_finish (SextantS3Client  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sextant_s3_parse_url:
 * @url: `s3://BUCKET/KEY`
 *
 * Returns: whether @url is an S3 URL with a bucket and a key
 */
gboolean
sextant_s3_parse_url (const char  *url,
                      char       **bucket,
                      char       **key)
{
  const char *slash;

  if (!g_str_has_prefix (url, "s3://") || (slash = strchr (url + 5, '/')) == NULL ||
      slash == url + 5 || slash[1] == '\0')
    return FALSE;
  *bucket = g_strndup (url + 5, slash - (url + 5));
  *key = g_strdup (slash + 1);
  return TRUE;
}
