/* Frame codec (README §3): CRC-16/CCITT-FALSE, delta compression with a per-frame bit width, strict decoding. */
#include "sensing_protocol.h"

#include <string.h>

const char *sp_result_name(sp_result r)
{
    switch (r) {
    case SP_OK: return "None";
    case SP_REJECT_TRUNCATED: return "Truncated";
    case SP_REJECT_UNSUPPORTED_VERSION: return "UnsupportedVersion";
    case SP_REJECT_UNKNOWN_FRAME_TYPE: return "UnknownFrameType";
    case SP_REJECT_UNKNOWN_RATE_CODE: return "UnknownRateCode";
    case SP_REJECT_RESERVED_BIT_SET: return "ReservedBitSet";
    case SP_REJECT_INVALID_DELTA_WIDTH: return "InvalidDeltaWidth";
    case SP_REJECT_ZERO_SAMPLE_COUNT: return "ZeroSampleCount";
    case SP_REJECT_FRAME_TOO_LONG: return "FrameTooLong";
    case SP_REJECT_SEQUENCE_OVERFLOW: return "SequenceOverflow";
    case SP_REJECT_CRC_MISMATCH: return "CrcMismatch";
    case SP_REJECT_NON_ZERO_PADDING: return "NonZeroPadding";
    case SP_REJECT_NON_CANONICAL_WIDTH: return "NonCanonicalWidth";
    }
    return "Unknown";
}

uint16_t sp_crc16_update(uint16_t crc, const uint8_t *data, size_t length)
{
    /* Bitwise on purpose: the reference favours obviousness; the gateway uses a table-driven equivalent. */
    for (size_t i = 0; i < length; i++) {
        crc ^= (uint16_t)(data[i] << 8);
        for (int b = 0; b < 8; b++) {
            crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
        }
    }
    return crc;
}

uint16_t sp_crc16(const uint8_t *data, size_t length) { return sp_crc16_update(0xFFFFu, data, length); }

static unsigned bit_length(uint32_t v)
{
    unsigned n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

unsigned sp_delta_width(int16_t delta)
{
    if (delta == 0) return 0;
    int32_t d = delta;
    return 1u + bit_length((uint32_t)(d >= 0 ? d : ~d));
}

size_t sp_frame_length(unsigned count, unsigned width)
{
    return SP_MIN_FRAME_BYTES + (3u * width * (count - 1u) + 7u) / 8u;
}

static int16_t delta_of(int16_t current, int16_t previous)
{
    return (int16_t)(uint16_t)((uint16_t)current - (uint16_t)previous);
}

static unsigned sample_width(const int16_t (*samples)[3], unsigned k)
{
    unsigned w = 0;
    for (int a = 0; a < 3; a++) {
        unsigned aw = sp_delta_width(delta_of(samples[k][a], samples[k - 1][a]));
        if (aw > w) w = aw;
    }
    return w;
}

unsigned sp_samples_that_fit(const int16_t (*samples)[3], unsigned available, size_t max_bytes)
{
    if (available == 0 || max_bytes < SP_MIN_FRAME_BYTES) return 0;
    if (max_bytes > SP_MAX_FRAME_BYTES) max_bytes = SP_MAX_FRAME_BYTES;
    unsigned n = 1, w = 0;
    while (n < available && n < SP_MAX_SAMPLES) {
        unsigned sw = sample_width(samples, n);
        unsigned nw = sw > w ? sw : w;
        if (sp_frame_length(n + 1, nw) > max_bytes) break;
        w = nw;
        n++;
    }
    return n;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

size_t sp_encode_frame(const sp_frame_header *header, const int16_t (*samples)[3], unsigned count, uint8_t *out,
                       size_t capacity)
{
    if (count == 0 || count > SP_MAX_SAMPLES || header->rate_code > 5 || header->range_code > 3 ||
        (header->type != SP_FRAME_LIVE && header->type != SP_FRAME_HISTORICAL) ||
        (uint64_t)header->seq + count - 1u > 0xFFFFFFFFull) {
        return 0;
    }
    unsigned w = 0;
    for (unsigned k = 1; k < count; k++) {
        unsigned sw = sample_width(samples, k);
        if (sw > w) w = sw;
    }
    size_t length = sp_frame_length(count, w);
    if (length > capacity || length > SP_MAX_FRAME_BYTES) return 0;

    memset(out, 0, length);
    out[0] = (uint8_t)((SP_PROTOCOL_VERSION << 5) | ((unsigned)header->type << 3) | header->rate_code);
    out[1] = (uint8_t)((header->range_code << 6) | w);
    out[2] = header->boot_id;
    put_u32(out + 3, header->seq);
    put_u32(out + 7, header->tick);
    out[11] = (uint8_t)count;
    for (int a = 0; a < 3; a++) {
        out[12 + 2 * a] = (uint8_t)((uint16_t)samples[0][a]);
        out[13 + 2 * a] = (uint8_t)((uint16_t)samples[0][a] >> 8);
    }
    /* LSB-first bit stream of w-bit deltas, x y z per sample (README §3.4). */
    uint32_t bit = 0;
    uint8_t *deltas = out + 18;
    for (unsigned k = 1; k < count; k++) {
        for (int a = 0; a < 3; a++) {
            uint32_t v = (uint16_t)delta_of(samples[k][a], samples[k - 1][a]);
            for (unsigned b = 0; b < w; b++, bit++) {
                if ((v >> b) & 1u) deltas[bit >> 3] |= (uint8_t)(1u << (bit & 7u));
            }
        }
    }
    uint16_t crc = sp_crc16(out, length - 2);
    out[length - 2] = (uint8_t)crc;
    out[length - 1] = (uint8_t)(crc >> 8);
    return length;
}

sp_result sp_parse_header(const uint8_t *data, size_t length, sp_frame_header *h, size_t *frame_length)
{
    if (length < SP_HEADER_BYTES) return SP_REJECT_TRUNCATED;
    h->version = data[0] >> 5;
    h->type = (data[0] >> 3) & 3u;
    h->rate_code = data[0] & 7u;
    h->range_code = data[1] >> 6;
    h->delta_width = data[1] & 0x1Fu;
    h->boot_id = data[2];
    h->seq = get_u32(data + 3);
    h->tick = get_u32(data + 7);
    h->count = data[11];
    if (h->version != SP_PROTOCOL_VERSION) return SP_REJECT_UNSUPPORTED_VERSION;
    if (h->type != SP_FRAME_LIVE && h->type != SP_FRAME_HISTORICAL) return SP_REJECT_UNKNOWN_FRAME_TYPE;
    if (h->rate_code > 5) return SP_REJECT_UNKNOWN_RATE_CODE;
    if (data[1] & 0x20u) return SP_REJECT_RESERVED_BIT_SET;
    if (h->delta_width > SP_MAX_DELTA_WIDTH) return SP_REJECT_INVALID_DELTA_WIDTH;
    if (h->count == 0) return SP_REJECT_ZERO_SAMPLE_COUNT;
    if (h->count == 1 && h->delta_width != 0) return SP_REJECT_INVALID_DELTA_WIDTH;
    *frame_length = sp_frame_length(h->count, h->delta_width);
    if (*frame_length > SP_MAX_FRAME_BYTES) return SP_REJECT_FRAME_TOO_LONG;
    if ((uint64_t)h->seq + h->count - 1u > 0xFFFFFFFFull) return SP_REJECT_SEQUENCE_OVERFLOW;
    return SP_OK;
}

sp_result sp_decode_frame(const uint8_t *data, size_t length, sp_frame *frame, size_t *consumed)
{
    size_t frame_length = 0;
    sp_frame_header *h = &frame->header;
    sp_result r = sp_parse_header(data, length, h, &frame_length);
    if (r != SP_OK) return r;
    if (length < frame_length) return SP_REJECT_TRUNCATED;
    uint16_t crc = (uint16_t)(data[frame_length - 2] | (data[frame_length - 1] << 8));
    if (sp_crc16(data, frame_length - 2) != crc) return SP_REJECT_CRC_MISMATCH;

    unsigned w = h->delta_width;
    uint32_t total_bits = 3u * w * (h->count - 1u);
    const uint8_t *deltas = data + 18;
    if (total_bits & 7u) {
        uint8_t pad_mask = (uint8_t)(0xFFu << (total_bits & 7u));
        if (deltas[total_bits >> 3] & pad_mask) return SP_REJECT_NON_ZERO_PADDING;
    }
    for (int a = 0; a < 3; a++) {
        frame->samples[0][a] = (int16_t)(uint16_t)(data[12 + 2 * a] | (data[13 + 2 * a] << 8));
    }
    unsigned widest = 0;
    uint32_t bit = 0;
    for (unsigned k = 1; k < h->count; k++) {
        for (int a = 0; a < 3; a++) {
            uint32_t v = 0;
            for (unsigned b = 0; b < w; b++, bit++) {
                v |= (uint32_t)((deltas[bit >> 3] >> (bit & 7u)) & 1u) << b;
            }
            /* sign-extend the w-bit value */
            int32_t d = (w > 0 && (v >> (w - 1)) & 1u) ? (int32_t)v - (int32_t)(1u << w) : (int32_t)v;
            unsigned dw = sp_delta_width((int16_t)d);
            if (dw > widest) widest = dw;
            frame->samples[k][a] = (int16_t)(uint16_t)((uint16_t)frame->samples[k - 1][a] + (uint16_t)d);
        }
    }
    if (widest != w) return SP_REJECT_NON_CANONICAL_WIDTH;
    *consumed = frame_length;
    return SP_OK;
}
