export { OdcsContractContent } from './OdcsContractContent';
