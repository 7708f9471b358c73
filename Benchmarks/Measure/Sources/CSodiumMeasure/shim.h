#ifndef BACKPAY_MEASURE_CSODIUM_SHIM_H
#define BACKPAY_MEASURE_CSODIUM_SHIM_H
#include <sodium.h>
#endif
