export { OdcsDefinitionView } from './OdcsDefinitionView';
