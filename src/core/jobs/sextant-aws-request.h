#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "bedrock/sextant-aws-credentials.h"
#include "bedrock/sextant-sigv4-signer.h"

G_BEGIN_DECLS

/*
 * One signed AWS request with retries, shared by the S3 and Batch clients: SigV4 (S3's rules for
 * S3), up to four attempts on 5xx and throttling with a doubling pause, and the error of the last
 * answer mapped to SEXTANT_JOBS_ERROR naming @what.
 */
typedef struct
{
  SoupSession        *session;
  SextantSigv4Signer *signer;
  gboolean            s3;
  guint               retry_delay_ms;
} SextantAwsService;

void     sextant_aws_service_init       (SextantAwsService            *service,
                                         const char                   *region,
                                         const char                   *signing_name,
                                         const SextantAwsCredentials  *credentials,
                                         SoupSession                  *session);
void     sextant_aws_service_clear      (SextantAwsService            *service);
char    *sextant_aws_service_endpoint   (const char                   *variable,
                                         const char                   *service,
                                         const char                   *region,
                                         GError                      **error);
void     sextant_aws_service_send_async (SextantAwsService            *service,
                                         gpointer                      source_object,
                                         const char                   *method,
                                         const char                   *url,
                                         const char                   *content_type,
                                         GBytes                       *body,
                                         const char                   *what,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
GBytes  *sextant_aws_service_send_finish (GAsyncResult                *result,
                                          GError                     **error);

G_END_DECLS
