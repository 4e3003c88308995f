/*
 * dc_decode: a baseline JPEG decoded at exactly 1/8 scale from the DC coefficients alone.
 *
 * At 1/8 scale each 8x8 block becomes one pixel, the block's average, which is its DC
 * coefficient: (DC * Q0 + 4) / 8 + 128, exactly what libjpeg's 1x1 IDCT computes. The AC
 * coefficients are never needed, but in a Huffman-coded stream they still have to be walked to
 * find where the next block starts, and that walk is nearly all of the work. libjpeg-turbo walks
 * each coefficient as two steps, a Huffman symbol and then its extra bits; here one lookup in a
 * table built per Huffman table gives the code's length plus its extra bits and how far it
 * advances, so skipping a coefficient is one table read and one shift (codes longer than
 * AC_LOOKAHEAD bits, which are rare, take a canonical search).
 *
 * The output is libjpeg's own 1/8-scale output: like libjpeg, a component subsampled 2x both
 * ways (4:2:0 chroma) is decoded at 2x2 with libjpeg's reduced IDCT (jpeg_idct_2x2, so those
 * blocks have their coefficients decoded, not skipped), one subsampled in one direction only is
 * replicated (libjpeg does no fancy upsampling at 1/8), and YCbCr becomes RGB through libjpeg's
 * fixed-point tables. The tests compare the two pixel for pixel.
 *
 * Scope: baseline or extended sequential Huffman JPEG (SOF0/SOF1), 8-bit, grayscale or YCbCr,
 * one interleaved scan, sampling factors of 1 or 2, restart intervals. Anything else is
 * DC_UNSUPPORTED, and anything malformed is DC_CORRUPT: the caller then decodes with libjpeg,
 * whose verdict stands.
 */
#include "dc_decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COMPONENTS 3
#define DC_LOOKAHEAD 9
#define AC_LOOKAHEAD 12
/* An ac_multi entry that covers nothing: its advance (127) never fits in a block. */
#define MULTI_NONE 0x007F
/* The largest AC magnitude category 8-bit data can have (T.81 F.1.2.2); larger ones are corrupt. */
#define MAX_AC_CATEGORY 10

/* Zigzag position -> natural (row-major) position, with slack for corrupt runs past 63. */
static const uint8_t natural_order[64 + 16] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13,
    6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31,
    39, 46, 53, 60, 61, 54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63};

typedef struct {
  /* Canonical decoding for codes longer than the lookahead: maxcode[l] is the largest code of
   * length l (or -1), valoffset[l] maps a code of length l to its index in values. */
  int32_t maxcode[18];
  int32_t valoffset[17];
  uint8_t values[256];
  /* DC: lookup[peek] = length << 8 | symbol, 0 when the code is longer than DC_LOOKAHEAD. */
  uint16_t dc_lookup[1 << DC_LOOKAHEAD];
  /* AC symbols, for blocks whose coefficients are needed: like dc_lookup. */
  uint16_t ac_lookup[1 << AC_LOOKAHEAD];
  /* AC coefficients whole, when code and extra bits fit in the lookahead:
   * value[peek] = coefficient << 16 | advance << 8 | bits (advance 64 for EOB, 16 for ZRL). */
  int32_t ac_value[1 << AC_LOOKAHEAD];
  /* AC: skip[peek] = (code length + extra bits) << 8 | advance, where advance is run + 1, 16 for
   * ZRL and 64 for end of block; 0 when the code is longer than AC_LOOKAHEAD bits. */
  uint16_t ac_skip[1 << AC_LOOKAHEAD];
  /* AC, several coefficients per lookup: multi[peek] = bits << 8 | end-of-block << 7 | advance,
   * for as many whole coefficients (code and extra bits) as fit in AC_LOOKAHEAD bits;
   * MULTI_NONE when not even one fits. */
  uint16_t ac_multi[1 << AC_LOOKAHEAD];
  int defined;
} HuffTable;

typedef struct {
  int id;
  int h, v;
  int quant;
  int dc_table, ac_table;
  int32_t pred;
  /* Samples per block edge at 1/8 scale: 2 for a component libjpeg decodes with its 2x2 IDCT. */
  int block_size;
  /* Output pixels covered by one sample of this component, across and down (1 or 2). */
  int rep_x, rep_y;
  uint8_t *plane; /* one sample per block */
  size_t plane_stride;
  int plane_rows;
} Component;

typedef struct {
  const uint8_t *data;
  const uint8_t *end;
  const uint8_t *pos;
  uint64_t bits;
  int count;    /* valid bits in `bits`, from the top */
  int marker;   /* a marker met inside entropy-coded data; no more bytes are fed after it */
  int fake;     /* zero bits fed after that marker or the end; consuming them means truncation */
} BitReader;

typedef struct {
  /* Natural (row-major) order, as libjpeg's IDCT multipliers: 16-bit signed. */
  int16_t quant[4][64];
  int quant_defined[4];
  HuffTable dc[4];
  HuffTable ac[4];
  Component comp[MAX_COMPONENTS];
  int ncomp;
  int width, height;
  int hmax, vmax;
  int restart_interval;
  int frame_seen;
} Decoder;

static inline int read_u16(const uint8_t *p) { return (p[0] << 8) | p[1]; }

static inline int extend(int value, int size) {
  return value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;
}

/* Builds the canonical codes (ITU T.81 Annex C) and the lookup tables. */
static DcStatus build_table(HuffTable *t, const uint8_t counts[16], const uint8_t *values, int nvalues, int is_ac) {
  memset(t, 0, sizeof *t);
  memcpy(t->values, values, (size_t)nvalues);
  int code = 0;
  int k = 0;
  uint16_t codes[256];
  uint8_t lengths[256];
  for (int len = 1; len <= 16; len++) {
    t->valoffset[len] = k - code;
    for (int i = 0; i < counts[len - 1]; i++) {
      codes[k] = (uint16_t)code;
      lengths[k] = (uint8_t)len;
      k++;
      code++;
    }
    if (code > (1 << len)) return DC_CORRUPT;
    t->maxcode[len] = counts[len - 1] ? code - 1 : -1;
    code <<= 1;
  }
  t->maxcode[17] = INT32_MAX; /* sentinel: stops the slow search */
  for (int i = 0; i < nvalues; i++) {
    int len = lengths[i];
    int symbol = values[i];
    if (!is_ac) {
      if (len > DC_LOOKAHEAD) continue;
      int shift = DC_LOOKAHEAD - len;
      for (int fill = 0; fill < (1 << shift); fill++) {
        t->dc_lookup[(codes[i] << shift) | fill] = (uint16_t)(len << 8 | symbol);
      }
      continue;
    }
    int run = symbol >> 4;
    int size = symbol & 15;
    int advance = size == 0 ? (run == 15 ? 16 : 64) : run + 1; /* ZRL skips 16 zeros; EOB ends */
    if (len > AC_LOOKAHEAD) continue;
    int shift = AC_LOOKAHEAD - len;
    for (int fill = 0; fill < (1 << shift); fill++) {
      t->ac_skip[(codes[i] << shift) | fill] = (uint16_t)((len + size) << 8 | advance);
      t->ac_lookup[(codes[i] << shift) | fill] = (uint16_t)(len << 8 | symbol);
      if (len + size <= AC_LOOKAHEAD && size <= MAX_AC_CATEGORY) {
        const int magnitude = size ? (fill >> (shift - size)) & ((1 << size) - 1) : 0;
        const int coefficient = size ? extend(magnitude, size) : 0;
        t->ac_value[(codes[i] << shift) | fill] =
            (int32_t)((uint32_t)(uint16_t)coefficient << 16 | (uint32_t)advance << 8 | (uint32_t)(len + size));
      }
    }
  }
  if (is_ac) {
    for (unsigned int pattern = 0; pattern < (1u << AC_LOOKAHEAD); pattern++) {
      int used = 0;
      int advance = 0;
      int end_of_block = 0;
      for (;;) {
        /* The next code, read from the bits left; the bits past the pattern read as zeros, so a
         * match only counts when code and extra bits end inside the pattern. */
        unsigned int next = (pattern << used) & ((1u << AC_LOOKAHEAD) - 1);
        uint16_t single = t->ac_skip[next];
        int total = single >> 8;
        if (!single || used + total > AC_LOOKAHEAD) break;
        used += total;
        if ((single & 0xFF) == 64) {
          end_of_block = 1;
          break;
        }
        advance += single & 0xFF;
        if (advance > 63) break;
      }
      t->ac_multi[pattern] =
          used > 0 && advance <= 63 ? (uint16_t)(used << 8 | end_of_block << 7 | advance) : MULTI_NONE;
    }
  }
  t->defined = 1;
  return DC_DECODED;
}

static void fill_slow(BitReader *br) {
  while (br->count <= 56) {
    unsigned int byte = 0;
    if (br->marker || br->pos >= br->end) {
      br->fake += 8;
    } else {
      byte = *br->pos++;
      if (byte == 0xFF) {
        /* FF 00 is a stuffed FF; FF followed by anything else is a marker. */
        while (br->pos < br->end && *br->pos == 0xFF) br->pos++;
        if (br->pos < br->end && *br->pos == 0x00) {
          br->pos++;
        } else {
          br->marker = br->pos < br->end ? *br->pos++ : -1;
          byte = 0;
          br->fake += 8;
        }
      }
    }
    br->bits |= (uint64_t)byte << (56 - br->count);
    br->count += 8;
  }
}

/* Tops the bit buffer up to at least 57 bits: 8 bytes at once when none of them is 0xFF. */
static inline void fill(BitReader *br) {
  if (br->pos + 8 <= br->end && !br->marker) {
    uint64_t word;
    memcpy(&word, br->pos, 8);
    word = __builtin_bswap64(word);
    const uint64_t inverted = ~word;
    if (!((inverted - 0x0101010101010101ULL) & ~inverted & 0x8080808080808080ULL)) {
      const int take = (64 - br->count) >> 3;
      br->bits |= (word & (~0ULL << (64 - 8 * take))) >> br->count;
      br->count += 8 * take;
      br->pos += take;
      return;
    }
  }
  fill_slow(br);
}

static inline unsigned int peek(BitReader *br, int n) { return (unsigned int)(br->bits >> (64 - n)); }

static inline void drop(BitReader *br, int n) {
  br->bits <<= n;
  br->count -= n;
}

/* Reads a symbol by canonical search, for codes longer than the lookahead. */
static int slow_symbol(BitReader *br, const HuffTable *t) {
  int len = 1;
  int32_t code = (int32_t)peek(br, 1);
  while (code > t->maxcode[len]) {
    len++;
    if (len > 16) return -1;
    code = (int32_t)peek(br, len);
  }
  drop(br, len);
  return t->values[(t->valoffset[len] + code) & 0xFF];
}

/*
 * One block: returns its DC difference, or INT32_MIN on corrupt data. With `coefficients`, the
 * AC coefficients are decoded into it (natural order, zeroed by the caller); without, they are
 * skipped. The reader's state lives in locals, so the compiler keeps it in registers.
 */
static inline int32_t decode_block(BitReader *br, const HuffTable *dc, const HuffTable *ac, int16_t *coefficients,
                                   int *any_ac) {
  uint64_t bits = br->bits;
  int count = br->count;
#define REFILL()           \
  do {                     \
    br->bits = bits;       \
    br->count = count;     \
    fill(br);              \
    bits = br->bits;       \
    count = br->count;     \
  } while (0)
#define PEEK(n) ((unsigned int)(bits >> (64 - (n))))
#define DROP(n)     \
  do {              \
    bits <<= (n);   \
    count -= (n);   \
  } while (0)
/* A Huffman symbol from its lookahead entry, or by canonical search when the code is longer. */
#define SYMBOL(entry, table, out)         \
  do {                                    \
    const uint16_t entry_ = (entry);      \
    if (entry_) {                         \
      DROP(entry_ >> 8);                  \
      (out) = entry_ & 0xFF;              \
    } else {                              \
      br->bits = bits;                    \
      br->count = count;                  \
      (out) = slow_symbol(br, (table));   \
      bits = br->bits;                    \
      count = br->count;                  \
      if ((out) < 0) return INT32_MIN;    \
    }                                     \
  } while (0)
  if (count <= 56) REFILL();
  int size;
  SYMBOL(dc->dc_lookup[PEEK(DC_LOOKAHEAD)], dc, size);
  if (size > 11) return INT32_MIN;
  int32_t diff = 0;
  if (size) {
    diff = extend((int)PEEK(size), size);
    DROP(size);
  }
  if (coefficients) {
    for (int k = 1; k < 64;) {
      if (count <= 32) REFILL();
      const unsigned int pattern = PEEK(AC_LOOKAHEAD);
      const int32_t v = ac->ac_value[pattern];
      if (v) {
        const int advance = (v >> 8) & 0xFF;
        DROP(v & 0xFF);
        if (advance == 64) break; /* EOB */
        k += advance;
        if (k > 64) return INT32_MIN;
        coefficients[natural_order[k - 1]] = (int16_t)(v >> 16); /* ZRL writes a zero */
        *any_ac |= v >> 16;
        continue;
      }
      int symbol;
      SYMBOL(ac->ac_lookup[pattern], ac, symbol);
      const int run = symbol >> 4;
      const int extra = symbol & 15;
      if (extra == 0) {
        if (run != 15) break; /* EOB */
        k += 16;
        continue;
      }
      k += run;
      if (k > 63 || extra > MAX_AC_CATEGORY) return INT32_MIN;
      coefficients[natural_order[k]] = (int16_t)extend((int)PEEK(extra), extra);
      *any_ac = 1;
      DROP(extra);
      k++;
    }
    br->bits = bits;
    br->count = count;
    return diff;
  }
  for (int k = 1; k < 64;) {
    if (count <= 32) REFILL();
    unsigned int pattern = PEEK(AC_LOOKAHEAD);
    uint16_t m = ac->ac_multi[pattern];
    int advance = m & 0x7F;
    /* Whole coefficients of this block only: past k = 63 the next code is another block's. An
     * entry covering nothing has advance MULTI_NONE, so it, like the rare run that ends exactly
     * at k = 64, takes the one-coefficient path below. */
    if (__builtin_expect(k + advance < 64, 1)) {
      DROP(m >> 8);
      k += advance;
      if (m & 0x80) break;
      /* At most AC_LOOKAHEAD bits went, so at least 21 are left: a second lookup needs no refill. */
      pattern = PEEK(AC_LOOKAHEAD);
      m = ac->ac_multi[pattern];
      advance = m & 0x7F;
      if (__builtin_expect(k + advance < 64, 1)) {
        DROP(m >> 8);
        k += advance;
        if (m & 0x80) break;
        continue;
      }
      if (count <= 32) REFILL();
      pattern = PEEK(AC_LOOKAHEAD);
    }
    uint16_t s = ac->ac_skip[pattern];
    if (s) {
      DROP(s >> 8);
      k += s & 0xFF;
      continue;
    }
    /* A code longer than the lookahead. */
    if (count <= 56) REFILL();
    int symbol;
    SYMBOL(0, ac, symbol);
    int run = symbol >> 4;
    int extra = symbol & 15;
    if (extra == 0) {
      if (run != 15) break; /* EOB */
      k += 16;
      continue;
    }
    DROP(extra);
    k += run + 1;
  }
#undef SYMBOL
#undef REFILL
#undef PEEK
#undef DROP
  br->bits = bits;
  br->count = count;
  return diff;
}

static DcStatus parse_sof(Decoder *d, const uint8_t *p, int len) {
  if (d->frame_seen || len < 6) return DC_CORRUPT;
  d->frame_seen = 1;
  if (p[0] != 8) return DC_UNSUPPORTED;
  d->height = read_u16(p + 1);
  d->width = read_u16(p + 3);
  d->ncomp = p[5];
  if (d->width == 0 || d->height == 0) return DC_UNSUPPORTED; /* DNL-defined height */
  if (d->ncomp != 1 && d->ncomp != 3) return DC_UNSUPPORTED;
  if (len < 6 + 3 * d->ncomp) return DC_CORRUPT;
  d->hmax = d->vmax = 1;
  for (int i = 0; i < d->ncomp; i++) {
    Component *c = &d->comp[i];
    c->id = p[6 + 3 * i];
    c->h = p[7 + 3 * i] >> 4;
    c->v = p[7 + 3 * i] & 15;
    c->quant = p[8 + 3 * i];
    if (c->h < 1 || c->h > 2 || c->v < 1 || c->v > 2 || c->quant > 3) return DC_UNSUPPORTED;
    if (c->h > d->hmax) d->hmax = c->h;
    if (c->v > d->vmax) d->vmax = c->v;
  }
  if (d->ncomp == 1) d->comp[0].h = d->comp[0].v = d->hmax = d->vmax = 1; /* non-interleaved: MCU = block */
  /* Component ids R, G, B mean an RGB JPEG: leave the colour question to libjpeg. */
  if (d->ncomp == 3 && d->comp[0].id == 'R' && d->comp[1].id == 'G' && d->comp[2].id == 'B') return DC_UNSUPPORTED;
  return DC_DECODED;
}

static DcStatus parse_dqt(Decoder *d, const uint8_t *p, int len) {
  while (len > 0) {
    int precision = p[0] >> 4;
    int id = p[0] & 15;
    int bytes = precision ? 128 : 64;
    if (id > 3 || len < 1 + bytes) return DC_CORRUPT;
    for (int k = 0; k < 64; k++) {
      d->quant[id][natural_order[k]] = (int16_t)(precision ? read_u16(p + 1 + 2 * k) : p[1 + k]);
    }
    d->quant_defined[id] = 1;
    p += 1 + bytes;
    len -= 1 + bytes;
  }
  return DC_DECODED;
}

static DcStatus parse_dht(Decoder *d, const uint8_t *p, int len) {
  while (len > 0) {
    if (len < 17) return DC_CORRUPT;
    int klass = p[0] >> 4;
    int id = p[0] & 15;
    if (klass > 1 || id > 3) return DC_CORRUPT;
    int total = 0;
    for (int i = 0; i < 16; i++) total += p[1 + i];
    if (total > 256 || len < 17 + total) return DC_CORRUPT;
    DcStatus status = build_table(klass ? &d->ac[id] : &d->dc[id], p + 1, p + 17, total, klass);
    if (status != DC_DECODED) return status;
    p += 17 + total;
    len -= 17 + total;
  }
  return DC_DECODED;
}

static inline uint8_t clamp(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

/*
 * libjpeg's post-IDCT range limit (jdmaster.c prepare_range_limit_table): x + 128 clamped to
 * 0..255 for |x| up to 384, and wrapping modulo 1024 beyond, which only corrupt data reaches.
 * Emulated so even such data decodes exactly as libjpeg decodes it.
 */
static inline uint8_t idct_limit(int x) {
  const int i = x & 1023;
  if (i < 128) return (uint8_t)(i + 128);
  if (i < 512) return 255;
  if (i < 896) return 0;
  return (uint8_t)(i - 896);
}

/*
 * libjpeg's jpeg_idct_2x2 (jidctred.c): a block's 2x2 reduced IDCT, from the coefficients in
 * rows and columns 0, 1, 3, 5 and 7. Same constants, same rounding, so the same samples. The
 * arithmetic is that of libjpeg-turbo's SIMD versions of this IDCT (x86 SSE2, Arm Neon: the
 * ones that run), which differ from its C only where corrupt data overflows 16 bits: the
 * dequantized coefficients and the first pass's results are 16-bit, saturated, and the output
 * saturates to 0..255 rather than wrapping.
 */
#define IDCT_CONST_BITS 13
#define IDCT_PASS1_BITS 2
#define DESCALE(x, n) (((x) + ((int64_t)1 << ((n) - 1))) >> (n))
#define DEQUANTIZE(i) ((int64_t)(int16_t)(coef[i] * quant[i]))
static inline int64_t saturate16(int64_t x) { return x < INT16_MIN ? INT16_MIN : x > INT16_MAX ? INT16_MAX : x; }
static void idct_2x2(const int16_t *coef, const int16_t *quant, uint8_t *out, size_t stride) {
  static const int columns[5] = {0, 1, 3, 5, 7};
  int64_t work[8][2];
  for (int i = 0; i < 5; i++) {
    const int c = columns[i];
    if (coef[8 + c] == 0 && coef[24 + c] == 0 && coef[40 + c] == 0 && coef[56 + c] == 0) {
      const int64_t dc = saturate16(DEQUANTIZE(c) * (1 << IDCT_PASS1_BITS));
      work[c][0] = work[c][1] = dc;
      continue;
    }
    const int64_t even = DEQUANTIZE(c) * (1 << (IDCT_CONST_BITS + 2));
    const int64_t odd = DEQUANTIZE(56 + c) * -5906 + DEQUANTIZE(40 + c) * 6967 + DEQUANTIZE(24 + c) * -10426 +
                        DEQUANTIZE(8 + c) * 29692;
    work[c][0] = saturate16(DESCALE(even + odd, IDCT_CONST_BITS - IDCT_PASS1_BITS + 2));
    work[c][1] = saturate16(DESCALE(even - odd, IDCT_CONST_BITS - IDCT_PASS1_BITS + 2));
  }
  for (int row = 0; row < 2; row++) {
    const int64_t even = work[0][row] * ((int64_t)1 << (IDCT_CONST_BITS + 2));
    const int64_t odd = work[7][row] * -5906 + work[5][row] * 6967 + work[3][row] * -10426 + work[1][row] * 29692;
    const int shift = IDCT_CONST_BITS + IDCT_PASS1_BITS + 3 + 2;
    out[row * stride] = clamp((int)saturate16(DESCALE(even + odd, shift)) + 128);
    out[row * stride + 1] = clamp((int)saturate16(DESCALE(even - odd, shift)) + 128);
  }
}

/* YCbCr (JFIF, full range) to RGB with libjpeg's fixed-point tables (jdcolor.c). */
typedef struct {
  int cr_r[256], cb_b[256];
  int32_t cr_g[256], cb_g[256];
} ColourTables;

static void colour_tables(ColourTables *t) {
  for (int i = 0; i < 256; i++) {
    const int32_t x = i - 128;
    t->cr_r[i] = (int)((91881 * x + 32768) >> 16);
    t->cb_b[i] = (int)((116130 * x + 32768) >> 16);
    t->cr_g[i] = -46802 * x;
    t->cb_g[i] = -22554 * x + 32768;
  }
}

static DcStatus to_rgb(Decoder *d, DcImage *out) {
  const unsigned int w = out->width;
  const unsigned int h = out->height;
  const Component *cy = &d->comp[0];
  if (out->channels == 1) {
    for (unsigned int y = 0; y < h; y++) memcpy(out->pixels + (size_t)y * w, cy->plane + (size_t)y * cy->plane_stride, w);
    return DC_DECODED;
  }
  ColourTables t;
  colour_tables(&t);
  const Component *cb = &d->comp[1];
  const Component *cr = &d->comp[2];
  for (unsigned int y = 0; y < h; y++) {
    const uint8_t *ly = cy->plane + (size_t)(y / (unsigned)cy->rep_y) * cy->plane_stride;
    const uint8_t *lb = cb->plane + (size_t)(y / (unsigned)cb->rep_y) * cb->plane_stride;
    const uint8_t *lr = cr->plane + (size_t)(y / (unsigned)cr->rep_y) * cr->plane_stride;
    uint8_t *row = out->pixels + (size_t)y * w * 3;
    for (unsigned int x = 0; x < w; x++) {
      const int Y = ly[x / (unsigned)cy->rep_x];
      const int Cb = lb[x / (unsigned)cb->rep_x];
      const int Cr = lr[x / (unsigned)cr->rep_x];
      row[3 * x] = clamp(Y + t.cr_r[Cr]);
      row[3 * x + 1] = clamp(Y + (int)((t.cb_g[Cb] + t.cr_g[Cr]) >> 16));
      row[3 * x + 2] = clamp(Y + t.cb_b[Cb]);
    }
  }
  return DC_DECODED;
}

/* idct_2x2 of a block whose only coefficient is the DC: four equal samples. */
static inline uint8_t idct_2x2_flat(int16_t dc, int16_t quant) {
  const int64_t pass1 = saturate16((int64_t)(int16_t)(dc * quant) * (1 << IDCT_PASS1_BITS));
  const int64_t pass2 = DESCALE(pass1 * ((int64_t)1 << (IDCT_CONST_BITS + 2)), IDCT_CONST_BITS + IDCT_PASS1_BITS + 3 + 2);
  return clamp((int)saturate16(pass2) + 128);
}

/* The DC predictor; libjpeg fails on the 32-bit overflow only corrupt data can cause. */
static inline int add_prediction(Component *c, int32_t diff) {
  if ((diff > 0 && c->pred > INT32_MAX - diff) || (diff < 0 && c->pred < INT32_MIN - diff)) return 0;
  c->pred += diff;
  return 1;
}

static DcStatus decode_scan(Decoder *d, const uint8_t *scan, const uint8_t *end, const uint8_t *header, int header_len,
                            DcImage *out) {
  int ns = header[0];
  if (ns != d->ncomp || header_len < 1 + 2 * ns + 3) return DC_UNSUPPORTED; /* non-interleaved scans */
  int order[MAX_COMPONENTS];
  for (int i = 0; i < ns; i++) {
    int id = header[1 + 2 * i];
    int tables = header[2 + 2 * i];
    order[i] = -1;
    for (int c = 0; c < d->ncomp; c++) {
      if (d->comp[c].id == id) order[i] = c;
    }
    if (order[i] < 0) return DC_CORRUPT;
    Component *c = &d->comp[order[i]];
    c->dc_table = tables >> 4;
    c->ac_table = tables & 15;
    if (c->dc_table > 3 || c->ac_table > 3 || !d->dc[c->dc_table].defined || !d->ac[c->ac_table].defined)
      return DC_CORRUPT;
    if (!d->quant_defined[c->quant]) return DC_CORRUPT;
  }
  const uint8_t *spectral = header + 1 + 2 * ns;
  if (spectral[0] != 0 || spectral[1] != 63 || spectral[2] != 0) return DC_UNSUPPORTED;

  const int mcu_w = 8 * d->hmax;
  const int mcu_h = 8 * d->vmax;
  const int mcus_x = (d->width + mcu_w - 1) / mcu_w;
  const int mcus_y = (d->height + mcu_h - 1) / mcu_h;
  out->width = (unsigned int)((d->width + 7) / 8);
  out->height = (unsigned int)((d->height + 7) / 8);
  out->channels = d->ncomp == 1 ? 1 : 3;
  for (int i = 0; i < d->ncomp; i++) {
    Component *c = &d->comp[i];
    /* libjpeg (jdmaster.c) scales a component's IDCT up instead of upsampling it when it is
     * subsampled by the same power of two both ways; otherwise it replicates samples. */
    c->block_size = (d->hmax == 2 * c->h && d->vmax == 2 * c->v) ? 2 : 1;
    c->rep_x = d->hmax / (c->h * c->block_size);
    c->rep_y = d->vmax / (c->v * c->block_size);
    c->plane_stride = (size_t)mcus_x * c->h * c->block_size;
    c->plane_rows = mcus_y * c->v * c->block_size;
    c->plane = malloc(c->plane_stride * (size_t)c->plane_rows);
    if (!c->plane) return DC_OUT_OF_MEMORY;
    c->pred = 0;
  }

  BitReader br = {.data = scan, .end = end, .pos = scan};
  int restarts_left = d->restart_interval;
  int expected_rst = 0;
  for (int my = 0; my < mcus_y; my++) {
    for (int mx = 0; mx < mcus_x; mx++) {
      if (d->restart_interval && restarts_left == 0) {
        /* Byte-align, expect RSTn, reset the DC predictors. */
        if (br.count < br.fake) return DC_CORRUPT;
        br.bits = 0;
        br.count = 0;
        br.fake = 0;
        if (!br.marker) {
          while (br.pos + 1 < br.end && !(br.pos[0] == 0xFF && br.pos[1] != 0x00 && br.pos[1] != 0xFF)) br.pos++;
          if (br.pos + 1 >= br.end) return DC_CORRUPT;
          br.marker = br.pos[1];
          br.pos += 2;
        }
        if (br.marker != 0xD0 + expected_rst) return DC_CORRUPT;
        br.marker = 0;
        expected_rst = (expected_rst + 1) & 7;
        restarts_left = d->restart_interval;
        for (int i = 0; i < d->ncomp; i++) d->comp[i].pred = 0;
      }
      for (int i = 0; i < ns; i++) {
        Component *c = &d->comp[order[i]];
        const HuffTable *dc = &d->dc[c->dc_table];
        const HuffTable *ac = &d->ac[c->ac_table];
        const int16_t *quant = d->quant[c->quant];
        for (int by = 0; by < c->v; by++) {
          for (int bx = 0; bx < c->h; bx++) {
            const size_t row = (size_t)(my * c->v + by) * (size_t)c->block_size;
            const size_t column = ((size_t)mx * (size_t)c->h + (size_t)bx) * (size_t)c->block_size;
            uint8_t *sample = c->plane + row * c->plane_stride + column;
            if (c->block_size == 2) {
              int16_t coefficients[64] = {0};
              int any_ac = 0;
              int32_t diff = decode_block(&br, dc, ac, coefficients, &any_ac);
              if (diff == INT32_MIN || !add_prediction(c, diff)) return DC_CORRUPT;
              coefficients[0] = (int16_t)c->pred;
              if (any_ac) {
                idct_2x2(coefficients, quant, sample, c->plane_stride);
              } else {
                /* What idct_2x2 gives for a block with no AC coefficient, without the arithmetic. */
                const uint8_t flat = idct_2x2_flat(coefficients[0], quant[0]);
                sample[0] = sample[1] = sample[c->plane_stride] = sample[c->plane_stride + 1] = flat;
              }
            } else {
              int32_t diff = decode_block(&br, dc, ac, NULL, NULL);
              if (diff == INT32_MIN || !add_prediction(c, diff)) return DC_CORRUPT;
              /* libjpeg's jpeg_idct_1x1, on the DC as libjpeg stores it: a 16-bit coefficient. */
              *sample = idct_limit(((int16_t)c->pred * quant[0] + 4) >> 3);
            }
          }
        }
      }
      /* Zero bits fed past the end or past a marker have been consumed: the data ran out. */
      if (br.count < br.fake) return DC_CORRUPT;
      restarts_left--;
    }
  }
  /* The scan must end at EOI (the reader stops at the first marker it meets). */
  if (!br.marker) {
    while (br.pos + 1 < br.end && !(br.pos[0] == 0xFF && br.pos[1] != 0x00 && br.pos[1] != 0xFF)) br.pos++;
    if (br.pos + 1 < br.end) br.marker = br.pos[1];
  }
  if (br.marker != 0xD9) return DC_CORRUPT;
  return DC_DECODED;
}

DcStatus dc_decode(const uint8_t *input, size_t length, DcImage *out) {
  memset(out, 0, sizeof *out);
  if (length < 4 || input[0] != 0xFF || input[1] != 0xD8) return DC_CORRUPT;
  Decoder *d = calloc(1, sizeof *d);
  if (!d) return DC_OUT_OF_MEMORY;
  DcStatus status = DC_CORRUPT;
  const uint8_t *p = input + 2;
  const uint8_t *end = input + length;
  for (;;) {
    while (p < end && *p != 0xFF) p++; /* tolerate fill bytes between segments */
    while (p < end && *p == 0xFF) p++;
    if (p >= end) break;
    int marker = *p++;
    if (marker == 0xD8 || marker == 0xD9 || (marker >= 0xD0 && marker <= 0xD7)) break;
    if (end - p < 2) break;
    int len = read_u16(p) - 2;
    const uint8_t *body = p + 2;
    if (len < 0 || len > end - body) break;
    p = body + len;
    if (marker == 0xC0 || marker == 0xC1) {
      status = parse_sof(d, body, len);
    } else if ((marker >= 0xC2 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      status = DC_UNSUPPORTED; /* progressive, lossless, hierarchical, arithmetic */
    } else if (marker == 0xCC) {
      status = DC_UNSUPPORTED; /* arithmetic conditioning */
    } else if (marker == 0xDB) {
      status = parse_dqt(d, body, len);
    } else if (marker == 0xC4) {
      status = parse_dht(d, body, len);
    } else if (marker == 0xDD) {
      status = len >= 2 ? DC_DECODED : DC_CORRUPT;
      if (len >= 2) d->restart_interval = read_u16(body);
    } else if (marker == 0xEE) {
      status = DC_UNSUPPORTED; /* APP14 Adobe: a colour transform flag libjpeg interprets */
    } else if (marker == 0xDA) {
      if (!d->frame_seen) {
        status = DC_CORRUPT;
        break;
      }
      status = decode_scan(d, p, end, body, len, out);
      if (status == DC_DECODED) {
        out->length = (size_t)out->width * out->height * out->channels;
        out->pixels = malloc(out->length);
        status = out->pixels ? to_rgb(d, out) : DC_OUT_OF_MEMORY;
      }
      break;
    } else {
      status = DC_DECODED; /* APPn, COM and the like: skipped */
    }
    if (status != DC_DECODED) break;
    status = DC_CORRUPT; /* a file that ends before its scan */
  }
  for (int i = 0; i < MAX_COMPONENTS; i++) free(d->comp[i].plane);
  free(d);
  if (status != DC_DECODED) {
    free(out->pixels);
    memset(out, 0, sizeof *out);
  }
  return status;
}
