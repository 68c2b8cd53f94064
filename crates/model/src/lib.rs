//! vejviser-model
