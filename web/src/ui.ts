// The Element Plus components the app uses, each with its own styles (no full-library import:
// the form page's JavaScript has a 200 KB gzip budget).
import 'element-plus/es/components/base/style/css';
import 'element-plus/es/components/config-provider/style/css';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/input/style/css';
import 'element-plus/es/components/input-number/style/css';
import 'element-plus/es/components/select/style/css';
import 'element-plus/es/components/option/style/css';
import 'element-plus/es/components/option-group/style/css';
import 'element-plus/es/components/radio/style/css';
import 'element-plus/es/components/radio-group/style/css';
import 'element-plus/es/components/radio-button/style/css';
import 'element-plus/es/components/checkbox/style/css';
import 'element-plus/es/components/checkbox-group/style/css';
import 'element-plus/es/components/alert/style/css';
import 'element-plus/es/components/dialog/style/css';
import 'element-plus/es/components/tag/style/css';
import 'element-plus/es/components/progress/style/css';
import 'element-plus/es/components/card/style/css';
import 'element-plus/es/components/empty/style/css';
import 'element-plus/es/components/switch/style/css';

export {
  ElAlert,
  ElButton,
  ElCard,
  ElCheckbox,
  ElCheckboxGroup,
  ElConfigProvider,
  ElDialog,
  ElEmpty,
  ElForm,
  ElFormItem,
  ElInput,
  ElInputNumber,
  ElOption,
  ElOptionGroup,
  ElProgress,
  ElRadio,
  ElRadioButton,
  ElRadioGroup,
  ElSelect,
  ElSwitch,
  ElTag,
} from 'element-plus';
