# Cross-building the rig for a riscv64 host (see aarch64-linux-gnu.cmake):
# needs the riscv64 multiarch library packages, which Debian 12 does not
# ship (riscv64 is an official arch from Debian 13 on).
set(EVERYPC_CROSS_TRIPLE riscv64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/linux-gnu.cmake)
