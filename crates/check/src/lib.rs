//! vejviser-check
