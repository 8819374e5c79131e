export { findUiAsset, UI_ASSET_DIR, type UiAsset } from './assets.ts'
