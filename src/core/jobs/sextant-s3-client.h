#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "bedrock/sextant-aws-credentials.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_S3_CLIENT (sextant_s3_client_get_type ())

G_DECLARE_FINAL_TYPE (SextantS3Client, sextant_s3_client, SEXTANT, S3_CLIENT, GObject)

SextantS3Client *sextant_s3_client_new              (const char                   *region,
                                                     const SextantAwsCredentials  *credentials,
                                                     SoupSession                  *session,
                                                     GError                      **error);
char            *sextant_s3_client_dup_url          (SextantS3Client              *self,
                                                     const char                   *bucket,
                                                     const char                   *key);
void             sextant_s3_client_put_object_async (SextantS3Client              *self,
                                                     const char                   *bucket,
                                                     const char                   *key,
                                                     GBytes                       *body,
                                                     GCancellable                 *cancellable,
                                                     GAsyncReadyCallback           callback,
                                                     gpointer                      user_data);
gboolean         sextant_s3_client_put_object_finish (SextantS3Client             *self,
                                                      GAsyncResult                *result,
                                                      GError                     **error);
void             sextant_s3_client_get_object_async (SextantS3Client              *self,
                                                     const char                   *bucket,
                                                     const char                   *key,
                                                     GCancellable                 *cancellable,
                                                     GAsyncReadyCallback           callback,
                                                     gpointer                      user_data);
GBytes          *sextant_s3_client_get_object_finish (SextantS3Client             *self,
                                                      GAsyncResult                *result,
                                                      GError                     **error);
gboolean         sextant_s3_parse_url               (const char                   *url,
                                                     char                        **bucket,
                                                     char                        **key);

G_END_DECLS
