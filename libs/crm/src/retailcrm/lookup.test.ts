/** Customer and responsible manager from RetailCRM's telephony/manager and customers answers. */
import { describe, expect, it } from 'vitest';
import { customerFromList, customerFromManagerAnswer, customersQuery, fullName, managerQuery, responsibleFromManagerAnswer, samePhone } from './lookup.js';
import { userByExtension } from './settings.js';

const BASE = 'https://shop.retailcrm.ru';
const MAP = userByExtension({ 19: '150', 18: '151' });

const managerAnswer = {
  success: true,
  manager: { id: 18, firstName: 'Анна', lastName: 'Смирнова', code: '555', email: 'anna@shop.by' },
  customer: { id: 7, firstName: 'Иван', patronymic: 'Иванович', lastName: 'Петров', email: 'ivan@mail.by', phones: [{ number: '+375291234567' }] },
  links: { customerLink: 'https://shop.retailcrm.ru/customers/7', newOrderLink: 'https://shop.retailcrm.ru/orders/add?customerId=7' },
};

describe('RetailCRM lookups', () => {
  it('asks telephony/manager with the number in E.164 and details; customers with the digits (filter[name] matches phones), limit 20', () => {
    expect(managerQuery('375291234567')).toEqual({ phone: '+375291234567', details: '1' });
    expect(customersQuery('+375 29 123-45-67')).toEqual({ 'filter[name]': '375291234567', limit: '20' });
  });

  it('the customer in a telephony/manager answer: full name and profile with RetailCRM\'s link', () => {
    expect(customerFromManagerAnswer(managerAnswer, BASE)).toEqual({
      name: 'Иван Иванович Петров',
      profile: { firstName: 'Иван', lastName: 'Петров', patronymic: 'Иванович', email: 'ivan@mail.by', id: '7', link: 'https://shop.retailcrm.ru/customers/7' },
    });
  });

  it('no customer, or a customer without a name, is null', () => {
    expect(customerFromManagerAnswer({ success: true }, BASE)).toBeNull();
    expect(customerFromManagerAnswer({ success: true, customer: { id: 3, firstName: ' ' } }, BASE)).toBeNull();
  });

  it('from /customers: the first whose phones include the number, compared from the right', () => {
    const body = {
      success: true,
      customers: [
        { id: 1, firstName: 'Wrong', phones: [{ number: '+375291111111' }] },
        { id: 2, firstName: 'Ольга', lastName: 'Ким', phones: [{ number: '8 (029) 123-45-67' }] },
      ],
    };
    expect(customerFromList(body, '375291234567', BASE)).toEqual({ name: 'Ольга Ким', profile: { firstName: 'Ольга', lastName: 'Ким', id: '2', link: `${BASE}/customers/2` } });
    expect(customerFromList({ success: true, customers: [] }, '375291234567', BASE)).toBeNull();
  });

  it('samePhone needs at least 7 matching digits', () => {
    expect(samePhone('375291234567', '80291234567')).toBe(true);
    expect(samePhone('375291234567', '375291234568')).toBe(false);
    expect(samePhone('4567', '4567')).toBe(false);
  });

  it('the responsible extension: our user_extensions for the manager id first, then RetailCRM\'s code', () => {
    expect(responsibleFromManagerAnswer(managerAnswer, MAP)).toBe('151');
    expect(responsibleFromManagerAnswer({ success: true, manager: { id: 99, code: '160' } }, MAP)).toBe('160');
    expect(responsibleFromManagerAnswer({ success: true, manager: { id: 99, code: 'sales' } }, MAP)).toBeNull();
    expect(responsibleFromManagerAnswer({ success: true }, MAP)).toBeNull();
  });

  it('fullName skips empty parts', () => {
    expect(fullName({ firstName: 'Ivan', lastName: 'Petrov' })).toBe('Ivan Petrov');
  });
});
