/*
 * test_adjust_lr.c -- test_adjust.c built with a link-register machine's
 * frame layout (TH_ARCH_LR: arm64/riscv64, no pushed return address).
 */
#include "test_adjust.c"
