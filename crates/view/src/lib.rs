//! vejviser-view
