#ifndef BACKPAY_CSODIUM_SHIM_H
#define BACKPAY_CSODIUM_SHIM_H
#include <sodium.h>
#endif
