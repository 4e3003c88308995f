/*
 * scaled_jpeg: decode a JPEG held in memory at 1/1, 1/2, 1/4 or 1/8 scale with libjpeg-turbo,
 * off the JavaScript thread.
 *
 * Why this exists: a thumbnail of a 12 MP photo costs almost nothing but the JPEG decode, and
 * at 1/8 scale that decode is nearly all Huffman (entropy) decoding. libjpeg-turbo only takes
 * its fast Huffman path while at least 512 bytes per block of an MCU (3 KB for 4:2:0) are
 * buffered. libvips (inside sharp) feeds libjpeg 4 KB at a time, so most of each refill runs the
 * slow path; here libjpeg reads the whole file from memory (jpeg_mem_src) and stays on the fast
 * path. Everything after the decode (colour management, orientation, resize, encode) stays in
 * sharp: see src/core/scaled-jpeg.ts.
 *
 * At 1/8 scale a baseline JPEG is decoded by dc_decode.c, which walks the entropy-coded data
 * faster than libjpeg does; everything it leaves (progressive, arithmetic, Adobe, RGB, ...)
 * goes to libjpeg.
 *
 * JavaScript API (module.exports):
 *   decode(input: Buffer, scaleDenominator: 1 | 2 | 4 | 8, engine?: 'auto' | 'libjpeg' | 'dc'):
 *     Promise<{ data: Buffer, width: number, height: number, channels: 1 | 3, engine: string }>
 * `engine` is for tests and comparisons: 'libjpeg' skips dc_decode, 'dc' fails where it does
 * not apply.
 * Grayscale JPEGs decode to 1 channel, YCbCr and RGB JPEGs to 3 (RGB). The promise rejects
 * with libjpeg's own message for anything it does not decode cleanly: corrupt or truncated data
 * (libjpeg warnings count as failures), CMYK/YCCK, or a precision other than 8 bits. Callers
 * fall back to sharp, whose fail-on policy then decides.
 */
#include <node_api.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

#include "dc_decode.h"

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf escape;
  char message[JMSG_LENGTH_MAX];
} ErrorManager;

static void escape_with_message(j_common_ptr cinfo) {
  ErrorManager *err = (ErrorManager *)cinfo->err;
  (*cinfo->err->format_message)(cinfo, err->message);
  longjmp(err->escape, 1);
}

/* Level -1 is a warning (corrupt data, premature end of file): stop, as for an error. */
static void on_message(j_common_ptr cinfo, int level) {
  if (level < 0) escape_with_message(cinfo);
}

enum { ENGINE_AUTO, ENGINE_LIBJPEG, ENGINE_DC };

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref input_ref; /* keeps the input Buffer alive while a pool thread reads it */
  const unsigned char *input;
  size_t input_length;
  unsigned int scale_denominator;
  int engine; /* ENGINE_* */
  int used_dc;
  unsigned char *pixels; /* owned here until handed to JavaScript */
  size_t pixels_length;
  unsigned int width;
  unsigned int height;
  unsigned int channels;
  char error[JMSG_LENGTH_MAX];
} DecodeJob;

static void fail(DecodeJob *job, const char *message) {
  snprintf(job->error, sizeof job->error, "%s", message);
}

/* Runs on a libuv pool thread: no N-API calls here. */
static void decode_execute(napi_env env, void *data) {
  (void)env;
  DecodeJob *job = data;
  if (job->scale_denominator == 8 && job->engine != ENGINE_LIBJPEG) {
    DcImage image;
    DcStatus status = dc_decode(job->input, job->input_length, &image);
    if (status == DC_DECODED) {
      job->pixels = image.pixels;
      job->pixels_length = image.length;
      job->width = image.width;
      job->height = image.height;
      job->channels = image.channels;
      job->used_dc = 1;
      return;
    }
    if (status == DC_OUT_OF_MEMORY || job->engine == ENGINE_DC) {
      fail(job, status == DC_OUT_OF_MEMORY ? "out of memory"
                : status == DC_UNSUPPORTED ? "dc_decode: not a baseline JPEG it decodes"
                                           : "dc_decode: corrupt JPEG data");
      return;
    }
  }
  struct jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = escape_with_message;
  err.pub.emit_message = on_message;
  if (setjmp(err.escape)) {
    fail(job, err.message);
    jpeg_destroy_decompress(&cinfo);
    free(job->pixels);
    job->pixels = NULL;
    return;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, job->input, (unsigned long)job->input_length);
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.data_precision != 8) {
    snprintf(err.message, sizeof err.message, "unsupported JPEG precision: %d bits", cinfo.data_precision);
    longjmp(err.escape, 1);
  }
  switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
      cinfo.out_color_space = JCS_GRAYSCALE;
      break;
    case JCS_YCbCr:
    case JCS_RGB:
      cinfo.out_color_space = JCS_RGB;
      break;
    default:
      snprintf(err.message, sizeof err.message, "unsupported JPEG colour space (%d): not grayscale, YCbCr or RGB",
               (int)cinfo.jpeg_color_space);
      longjmp(err.escape, 1);
  }
  cinfo.scale_num = 1;
  cinfo.scale_denom = job->scale_denominator;
  jpeg_start_decompress(&cinfo);

  const size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
  job->pixels_length = stride * cinfo.output_height;
  job->pixels = malloc(job->pixels_length > 0 ? job->pixels_length : 1);
  if (job->pixels == NULL) {
    snprintf(err.message, sizeof err.message, "out of memory for %zu bytes of pixels", job->pixels_length);
    longjmp(err.escape, 1);
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[16];
    unsigned int count = cinfo.output_height - cinfo.output_scanline;
    if (count > 16) count = 16;
    for (unsigned int i = 0; i < count; i++) rows[i] = job->pixels + stride * (cinfo.output_scanline + i);
    jpeg_read_scanlines(&cinfo, rows, count);
  }
  job->width = cinfo.output_width;
  job->height = cinfo.output_height;
  job->channels = (unsigned int)cinfo.output_components;
  /* Reads on to EOI, so a file cut short after its last scanline still fails here. */
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
}

static void free_pixels(napi_env env, void *pixels, void *hint) {
  (void)env;
  (void)hint;
  free(pixels);
}

static napi_value number(napi_env env, unsigned int value) {
  napi_value result;
  napi_create_uint32(env, value, &result);
  return result;
}

/* Back on the JavaScript thread: settle the promise and release the job. */
static void decode_complete(napi_env env, napi_status status, void *data) {
  DecodeJob *job = data;
  if (status == napi_ok && job->pixels != NULL) {
    napi_value result;
    napi_value buffer;
    napi_create_object(env, &result);
    if (napi_create_external_buffer(env, job->pixels_length, job->pixels, free_pixels, NULL, &buffer) != napi_ok) {
      /* Runtimes that forbid external buffers: copy instead. */
      void *copy;
      napi_create_buffer_copy(env, job->pixels_length, job->pixels, &copy, &buffer);
      free(job->pixels);
    }
    job->pixels = NULL;
    napi_set_named_property(env, result, "data", buffer);
    napi_set_named_property(env, result, "width", number(env, job->width));
    napi_set_named_property(env, result, "height", number(env, job->height));
    napi_set_named_property(env, result, "channels", number(env, job->channels));
    napi_value engine;
    napi_create_string_utf8(env, job->used_dc ? "dc" : "libjpeg", NAPI_AUTO_LENGTH, &engine);
    napi_set_named_property(env, result, "engine", engine);
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_value message;
    napi_value error;
    napi_create_string_utf8(env, status == napi_cancelled ? "decode cancelled" : job->error, NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, job->deferred, error);
    free(job->pixels);
  }
  napi_delete_reference(env, job->input_ref);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value throw_type_error(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

static napi_value decode(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    return throw_type_error(env, "decode(input, scaleDenominator): two arguments are required");
  }
  bool is_buffer = false;
  napi_is_buffer(env, argv[0], &is_buffer);
  if (!is_buffer) return throw_type_error(env, "decode: input must be a Buffer");
  uint32_t denominator = 0;
  if (napi_get_value_uint32(env, argv[1], &denominator) != napi_ok ||
      (denominator != 1 && denominator != 2 && denominator != 4 && denominator != 8)) {
    return throw_type_error(env, "decode: scaleDenominator must be 1, 2, 4 or 8");
  }
  int engine = ENGINE_AUTO;
  napi_valuetype engine_type = napi_undefined;
  if (argc >= 3) napi_typeof(env, argv[2], &engine_type);
  if (engine_type != napi_undefined) {
    char name[16] = "";
    size_t name_length = 0;
    if (engine_type != napi_string ||
        napi_get_value_string_utf8(env, argv[2], name, sizeof name, &name_length) != napi_ok) {
      return throw_type_error(env, "decode: engine must be 'auto', 'libjpeg' or 'dc'");
    }
    if (strcmp(name, "libjpeg") == 0) {
      engine = ENGINE_LIBJPEG;
    } else if (strcmp(name, "dc") == 0) {
      engine = ENGINE_DC;
    } else if (strcmp(name, "auto") != 0) {
      return throw_type_error(env, "decode: engine must be 'auto', 'libjpeg' or 'dc'");
    }
  }

  DecodeJob *job = calloc(1, sizeof *job);
  if (job == NULL) {
    napi_throw_error(env, NULL, "decode: out of memory");
    return NULL;
  }
  void *input;
  napi_get_buffer_info(env, argv[0], &input, &job->input_length);
  job->input = input;
  job->scale_denominator = denominator;
  job->engine = engine;
  napi_create_reference(env, argv[0], 1, &job->input_ref);

  napi_value promise;
  napi_value resource_name;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "scaled_jpeg.decode", NAPI_AUTO_LENGTH, &resource_name);
  napi_create_async_work(env, NULL, resource_name, decode_execute, decode_complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn;
  napi_create_function(env, "decode", NAPI_AUTO_LENGTH, decode, NULL, &fn);
  napi_set_named_property(env, exports, "decode", fn);
  return exports;
}
