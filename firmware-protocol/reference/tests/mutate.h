/* The mutations of the decoder checks: used by test_mutation.c (CTest) and by gen_vectors (vectors/mutations.json,
 * which the C# tests decode to the same verdicts), and mirrored by the C# fuzz test (FrameFuzzTests.cs).
 * Every kind really changes the frame: flips are at distinct bits and a replaced byte differs from the old one. */
#ifndef MUTATE_H
#define MUTATE_H
#include "check.h"
#include "sensing_protocol.h"

enum { MUT_BIT_FLIPS, MUT_TRUNCATED, MUT_BYTE_VALUES, MUT_RANDOM_BYTES, MUT_HEADER_FIELD, MUT_KINDS };

static const char *const mutation_names[MUT_KINDS] = {"bit_flips", "truncated", "byte_values", "random_bytes",
                                                       "header_field"};

/* A valid frame: 1..200 random-walk samples of a random spread, random header fields, packed to 244 bytes.
 * `samples` is scratch of SP_MAX_SAMPLES rows. Returns the frame's length. */
static size_t mutation_source(uint8_t *out, int16_t (*samples)[3])
{
    unsigned n = 1 + rng_next() % 200;
    int spread = (int)(rng_next() % 5 == 0 ? 0 : 1u << (rng_next() % 12));
    for (unsigned k = 0; k < n; k++) {
        for (int a = 0; a < 3; a++) {
            int base = k ? samples[k - 1][a] : (int)(rng_next() % 8192) - 4096;
            samples[k][a] = (int16_t)(base + (spread ? (int)(rng_next() % (unsigned)(2 * spread + 1)) - spread : 0));
        }
    }
    sp_frame_header h = {0};
    h.type = (uint8_t)(1 + rng_next() % 2);
    h.rate_code = (uint8_t)(rng_next() % 6);
    h.range_code = (uint8_t)(rng_next() % 4);
    h.boot_id = (uint8_t)rng_next();
    h.seq = rng_next() >> 1;
    h.tick = rng_next();
    unsigned fit = sp_samples_that_fit((const int16_t(*)[3])samples, n, SP_MAX_FRAME_BYTES);
    return sp_encode_frame(&h, (const int16_t(*)[3])samples, fit, out, SP_MAX_FRAME_BYTES);
}

/* Mutates the `len`-byte frame in `b` (room for SP_MAX_FRAME_BYTES) by `kind`; returns the new length.
 * - bit_flips: 1..3 distinct bits (always rejected: CRC-16/CCITT has Hamming distance 4 at these lengths);
 * - truncated: cut to 0..len-1 bytes (always rejected);
 * - byte_values: 1..8 bytes given other values (rejected but for a chance CRC match);
 * - random_bytes: 1..244 random bytes with a plausible first byte (version 1);
 * - header_field: one header byte changed, CRC recomputed, so only the field rules can reject it. */
static size_t mutate(uint8_t *b, size_t len, int kind)
{
    switch (kind) {
    case MUT_BIT_FLIPS: {
        unsigned bits = (unsigned)len * 8u, flips = 1 + rng_next() % 3, first = rng_next() % bits;
        for (unsigned f = 0; f < flips; f++) {
            unsigned bit = (first + f * (bits / 3u + 1u)) % bits;
            b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        return len;
    }
    case MUT_TRUNCATED:
        return rng_next() % len;
    case MUT_BYTE_VALUES: {
        unsigned changes = 1 + rng_next() % 8;
        for (unsigned j = 0; j < changes; j++) b[rng_next() % len] ^= (uint8_t)(1 + rng_next() % 255);
        return len;
    }
    case MUT_RANDOM_BYTES: {
        size_t n = 1 + rng_next() % SP_MAX_FRAME_BYTES;
        for (size_t j = 0; j < n; j++) b[j] = (uint8_t)rng_next();
        b[0] = (uint8_t)(0x20u | (rng_next() & 0x1Fu));
        return n;
    }
    default: {
        b[rng_next() % SP_HEADER_BYTES] ^= (uint8_t)(1 + rng_next() % 255);
        uint16_t crc = sp_crc16(b, len - 2);
        b[len - 2] = (uint8_t)crc;
        b[len - 1] = (uint8_t)(crc >> 8);
        return len;
    }
    }
}
#endif
