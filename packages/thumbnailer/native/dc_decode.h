/*
 * dc_decode: a baseline JPEG decoded at exactly 1/8 scale from the DC coefficients alone.
 * See dc_decode.c.
 */
#ifndef SNAPSTACK_DC_DECODE_H
#define SNAPSTACK_DC_DECODE_H

#include <stddef.h>

typedef enum {
  DC_DECODED = 0,
  /* Valid JPEG this decoder leaves to libjpeg: progressive, arithmetic, 12-bit, CMYK, Adobe, ... */
  DC_UNSUPPORTED = 1,
  /* Malformed or truncated: libjpeg (and then sharp) give the verdict and its message. */
  DC_CORRUPT = 2,
  DC_OUT_OF_MEMORY = 3,
} DcStatus;

typedef struct {
  unsigned char *pixels; /* malloc'd; width * channels bytes per row */
  size_t length;
  unsigned int width;
  unsigned int height;
  unsigned int channels; /* 1 (grayscale) or 3 (RGB) */
} DcImage;

DcStatus dc_decode(const unsigned char *input, size_t length, DcImage *out);

#endif
