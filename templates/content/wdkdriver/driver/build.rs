//! Links the cdylib as a kernel driver (see driver-build/).
fn main() {
    driver_build::link_kernel_driver();
}
